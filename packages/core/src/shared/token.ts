declare const tokenOf: unique symbol;

/**
 * A service identifier for a composition root: a plain symbol that also carries, in the
 * type system only, the type of what it names. Inversify (or any container) accepts it as
 * a symbol; typed helpers in the apps read `T` back to check each binding. Core declares
 * tokens beside the ports and use cases they name and never imports a container.
 */
export type Token<T> = symbol & { readonly [tokenOf]?: T };

/** The type a token names. */
export type TokenType<K> = K extends Token<infer T> ? T : never;

/**
 * `Symbol.for('khaacho.<name>')`: registered globally, so two copies of this package in one
 * process (a duplicated install) still agree on every token.
 */
export function token<T>(name: string): Token<T> {
  return Symbol.for(`khaacho.${name}`) as Token<T>;
}

/** The tokens of a keyed bundle (`Repositories`, `UseCases`): one per key, each named. */
export type TokenMap<M> = { readonly [K in keyof M]-?: Token<M[K]> };

/**
 * One token per key of `M`, from the name of each. The argument must name every key and
 * no other, so a member added to `M` without a token is a compile error.
 */
export function tokenMap<M>(names: { readonly [K in keyof M]-?: string }): TokenMap<M> {
  const entries = Object.entries<string>(names).map(([key, name]) => [key, token(name)] as const);
  return Object.freeze(Object.fromEntries(entries)) as TokenMap<M>;
}
