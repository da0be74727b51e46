/** MULTI, EXEC, DISCARD, WATCH and UNWATCH: transactions with optimistic locking (Redis's multi.c). */
package dev.peregrine.server.command.transaction;
