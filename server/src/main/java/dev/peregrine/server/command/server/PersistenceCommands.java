package dev.peregrine.server.command.server;

import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;

import java.io.IOException;

/**
 * SAVE (Redis's rdb.c {@code saveCommand}): the synchronous RDB save through
 * {@link dev.peregrine.server.persistence.Snapshots#save}. Executor-only.
 */
public final class PersistenceCommands {
    /** Redis's reply when a save fails, a bare {@code -ERR} (the reason is only in the log). */
    public static final String SAVE_FAILED = "-ERR";

    private PersistenceCommands() {
    }

    public static void register(CommandTable t) {
        t.register("save", PersistenceCommands::save);
    }

    /** SAVE: writes {@code dir}/{@code dbfilename} now, blocking every client; {@code OK}, or a bare {@code ERR}. */
    static void save(CommandContext c) {
        try {
            c.engine().snapshots().save(System.currentTimeMillis());
        } catch (IOException e) {
            throw new CommandError(SAVE_FAILED);
        }
        c.reply().ok();
    }
}
