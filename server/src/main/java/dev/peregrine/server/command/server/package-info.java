/**
 * Server commands: CONFIG and INFO over the configuration and statistics, and introspection and control: COMMAND
 * and its subcommands, TIME, LASTSAVE, SAVE, SHUTDOWN. Executor-only.
 */
package dev.peregrine.server.command.server;
