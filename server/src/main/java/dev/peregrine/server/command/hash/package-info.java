/** Hash commands (HSET, HGET, HSCAN, ...): argument parsing and replies over {@code storage.hash}. */
package dev.peregrine.server.command.hash;
