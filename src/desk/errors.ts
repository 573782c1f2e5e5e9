/**
 * The errors the desk lets through, for the tool boundary to classify: the caller's mistakes
 * (`UserInputError`, unknown picklist values), the server's configuration, and Autotask's answers.
 * Re-exported here so that the tools depend on the desk only, never on the client.
 */
export {
  AutotaskAuthenticationError,
  AutotaskError,
  AutotaskNetworkError,
  AutotaskRateLimitError,
  AutotaskServerError,
  AutotaskValidationError,
  QueryValidationError,
} from "../autotask/errors.js";
export { PicklistError } from "../autotask/picklists.js";
export { ReadOnlyModeError, ServerConfigurationError, UserInputError } from "../errors.js";
export { IdempotencyConflictError, WriteOutcomeUnknownError } from "./ledger.js";
export { AfterWriteError } from "./outcome.js";
