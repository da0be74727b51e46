/** The stream commands (Redis's t_stream.c): XADD, XRANGE, XREAD, consumer groups, XINFO. Executor-only. */
package dev.peregrine.server.command.stream;
