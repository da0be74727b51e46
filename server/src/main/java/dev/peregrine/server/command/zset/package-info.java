/** Sorted set commands (Redis's t_zset.c) over {@link dev.peregrine.storage.zset.ZSetValue}. */
package dev.peregrine.server.command.zset;
