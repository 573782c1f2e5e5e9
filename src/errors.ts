/**
 * Errors raised by the MCP layer itself (as opposed to Autotask's errors in `autotask/errors.ts`).
 * Handlers throw these; the single error boundary in `tools/boundary.ts` turns them into `isError`
 * results. Their messages are written for the person (or model) who has to fix the call.
 */

/** The caller's arguments are wrong. The message names the field and the rule, and what would work. */
export class UserInputError extends Error {
  override readonly name = "UserInputError";
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * A write tool was called while writes are off: the server runs with AUTOTASK_READ_ONLY=true
 * (`by: "server"`), or the team server's caller holds a read-only token (`by: "token"`).
 */
export class ReadOnlyModeError extends Error {
  override readonly name = "ReadOnlyModeError";
  constructor(toolName: string, by: "server" | "token" = "server") {
    super(
      by === "token"
        ? `${toolName} changes Autotask data, but the access token of this session is read-only. Ask an administrator for a token with write access to make changes.`
        : `${toolName} changes Autotask data, but this server runs in read-only mode (AUTOTASK_READ_ONLY=true). Ask an administrator to turn read-only mode off to make changes.`,
    );
  }
}

/** Something the server needs is missing or wrong in its configuration. */
export class ServerConfigurationError extends Error {
  override readonly name = "ServerConfigurationError";
}
