import type { Token, TokenType } from '@khaacho/core';
import type { Bind, BindWhenOnFluentSyntax, Container, MapToResolvedValueInjectOptions } from 'inversify';

/**
 * Binds `service` to what `factory` makes from the services named by `deps`, once per
 * container (every Khaacho service is stateless or owns one pool). The token types are
 * checked against the factory's parameters and result: no decorator metadata involved.
 */
export function provide<T, const D extends readonly Token<unknown>[]>(
  bind: Bind,
  service: Token<T>,
  deps: D,
  factory: (...deps: Resolved<D>) => T | Promise<T>,
): BindWhenOnFluentSyntax<T> {
  return bind<T>(service)
    .toResolvedValue(factory, deps as unknown as MapToResolvedValueInjectOptions<Resolved<D>>)
    .inSingletonScope();
}

/** The services a tuple of tokens names. */
type Resolved<D extends readonly Token<unknown>[]> = { -readonly [K in keyof D]: TokenType<D[K]> } & unknown[];

/** `container.get` that reads the type from the token. */
export function resolve<T>(container: Container, service: Token<T>): T {
  return container.get<T>(service);
}
