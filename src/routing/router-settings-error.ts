/** A router entry's settings are invalid; `path` names the field inside the router entry. */
export class RouterSettingsError extends Error {
  constructor(
    /** Path inside the router entry, e.g. `settings.rules[0].target`. */
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = "RouterSettingsError";
  }
}
