/** List commands (LPUSH, LPOP, LRANGE, LMOVE, LMPOP and the rest of the non-blocking family). Executor-only. */
package dev.peregrine.server.command.list;
