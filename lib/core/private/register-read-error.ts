/** A problem reading a register: where (JSON path, e.g. `identities[3].owner`) and what. */
export class RegisterReadError extends Error {
  public constructor(public readonly where: string, what: string) {
    super(`${where}${where ? ' ' : ''}${what}`);
    this.name = 'RegisterReadError';
  }
}
