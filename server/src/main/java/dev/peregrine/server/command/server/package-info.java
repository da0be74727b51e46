/** Server introspection and control commands: COMMAND and its subcommands, TIME, LASTSAVE, SHUTDOWN. */
package dev.peregrine.server.command.server;
