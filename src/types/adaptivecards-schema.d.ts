// adaptivecards-templating's declarations import 'adaptivecards/src/schema', which pulls the adaptivecards
// package's raw .ts sources into our program (they fail under verbatimModuleSyntax). tsconfig maps that
// import here; we never use JSONSchemaCard, so an opaque card type is enough.
export interface IAdaptiveCard {
  type: 'AdaptiveCard';
  [key: string]: unknown;
}
