// @khaacho/adapters-redis — the public API. Named exports only.
export { BeeJobQueue, type BeeJobQueueConfig, type QueueSettings } from './bee-job-queue.js';
export { DEFAULT_CACHE_TIMEOUT_MS, RedisCache, type RedisCacheConfig } from './redis-cache.js';
export {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_MAX_RECONNECT_DELAY_MS,
  DEFAULT_REDIS_URL,
  RedisConnection,
  type RedisConnectionConfig,
  type RedisDurability,
  redisConfigFromEnv,
} from './redis-connection.js';
export { translateRedisError } from './redis-errors.js';
export { RedisLeaseLock, type RedisLeaseLockConfig } from './redis-lease-lock.js';
export {
  RedisLeasedRateLimiter,
  type RedisLeasedRateLimiterConfig,
} from './redis-leased-rate-limiter.js';
export { RedisRateLimiter, type RedisRateLimiterConfig } from './redis-rate-limiter.js';
export {
  DEFAULT_RATE_LIMIT,
  DEFAULT_REDIS_PREFIX,
  REDIS_CONNECTION,
  REDIS_READINESS,
  type RedisModuleConfig,
  type RedisReadinessCheck,
  redisModule,
} from './redis-module.js';
