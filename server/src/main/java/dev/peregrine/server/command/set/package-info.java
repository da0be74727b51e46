/** Set commands (SADD, SINTER, SSCAN, ...): argument parsing and replies over {@code storage.set}. */
package dev.peregrine.server.command.set;
