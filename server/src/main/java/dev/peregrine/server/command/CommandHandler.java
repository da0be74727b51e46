package dev.peregrine.server.command;

/** Runs one command: adapts the arguments, asks the data structures, writes the reply. Executor-only. */
@FunctionalInterface
public interface CommandHandler {
    void execute(CommandContext ctx);
}
