import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Paths pino blanks out wherever they appear in a log record. */
export const REDACT_PATHS = [
  'token', '*.token', '*.*.token',
  'secret', '*.secret', '*.*.secret', 'webhookSecret', '*.webhookSecret',
  'apiKey', '*.apiKey', 'clientSecret', '*.clientSecret', 'refreshToken', '*.refreshToken',
  'access_token', '*.access_token', 'refresh_token', '*.refresh_token', 'accessToken', '*.accessToken',
  'client_secret', '*.client_secret', 'password', '*.password',
  'authorization', '*.authorization', '*.*.authorization', 'headers.authorization', '*.headers.authorization',
  'headers["x-spark-signature"]', '*.headers["x-spark-signature"]', '*["x-spark-signature"]',
  'headers["x-cisco-meraki-api-key"]', '*.headers["x-cisco-meraki-api-key"]',
];

/** The one root logger; everything else uses `.child({...})` of it. */
export function createLogger(options: { level: string }, destination?: DestinationStream): Logger {
  return pino(
    {
      level: options.level,
      base: { app: 'license-bot' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}
