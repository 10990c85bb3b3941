import { randomUUID } from 'node:crypto';

export type HydraType =
  | 'PEOPLE'
  | 'ROOM'
  | 'MEMBERSHIP'
  | 'MESSAGE'
  | 'WEBHOOK'
  | 'ATTACHMENT_ACTION'
  | 'ORGANIZATION'
  | 'APPLICATION';

/** A Webex-shaped opaque id: unpadded base64 of `ciscospark://us/<TYPE>/<uuid>`. */
export function hydraId(type: HydraType, uuid: string = randomUUID()): string {
  return Buffer.from(`ciscospark://us/${type}/${uuid}`).toString('base64').replace(/=+$/, '');
}
