// Types for outputs.js: what the GitHub runner does around a JavaScript action.

/** Parses a GITHUB_OUTPUT file (`name<<DELIMITER` blocks and `name=value` lines). */
export function parseGithubOutput(text: string): Record<string, string>

/** The `default:` of each input in an action.yml (expression defaults left out). */
export function actionInputDefaults(yamlText: string): Record<string, string>
