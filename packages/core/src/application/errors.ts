import { NotFoundError } from '../shared/errors.js';

export function required<T>(value: T | null | undefined, entity: string, id: string): T {
  if (value === null || value === undefined) throw new NotFoundError(entity, id);
  return value;
}
