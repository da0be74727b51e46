package dev.peregrine.server.command;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command of the command table: its {@link CommandSpec}, its handler (null for a container such as CLIENT,
 * whose subcommands have handlers) and its statistics for INFO commandstats.
 *
 * <p>Statistics are executor-owned.
 */
public final class Command {
    private final CommandSpec spec;
    private final CommandHandler handler;
    private final Map<String, Command> subcommands = new LinkedHashMap<>();
    long calls;
    long micros;
    long rejectedCalls;
    long failedCalls;

    Command(CommandSpec spec, CommandHandler handler) {
        this.spec = spec;
        this.handler = handler;
    }

    public CommandSpec spec() {
        return spec;
    }

    public CommandHandler handler() {
        return handler;
    }

    public boolean isContainer() {
        return !subcommands.isEmpty();
    }

    /** The subcommand with this lower-case name, or null. */
    public Command subcommand(String name) {
        return subcommands.get(name);
    }

    public Map<String, Command> subcommands() {
        return subcommands;
    }

    void addSubcommand(Command sub) {
        subcommands.put(sub.spec().name(), sub);
        spec.addSubcommand(sub.spec());
    }

    public long calls() {
        return calls;
    }

    public long micros() {
        return micros;
    }

    public long rejectedCalls() {
        return rejectedCalls;
    }

    public long failedCalls() {
        return failedCalls;
    }

    /** Counts one call that ran, taking {@code micros} µs, and whether it answered an error. */
    public void recordCall(long micros, boolean failed) {
        this.calls++;
        this.micros += micros;
        if (failed) {
            this.failedCalls++;
        }
    }

    /** Counts a call refused before running (arity, auth, ...). */
    public void recordRejected() {
        rejectedCalls++;
    }

    public void resetStats() {
        calls = 0;
        micros = 0;
        rejectedCalls = 0;
        failedCalls = 0;
    }
}
