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
        t.register("bgsave", PersistenceCommands::bgsave);
        t.register("bgrewriteaof", c -> status(c, c.engine().snapshots().bgrewriteaofCommand()));
    }

    /** BGSAVE [SCHEDULE]: a fork-less background save; the replies and errors of Redis. */
    static void bgsave(CommandContext c) {
        boolean schedule = false;
        if (c.argc() == 2 && c.argIs(1, "schedule")) {
            schedule = true;
        } else if (c.argc() > 1) {
            throw new CommandError(dev.peregrine.server.command.Errors.SYNTAX);
        }
        status(c, c.engine().snapshots().bgsaveCommand(schedule));
    }

    /** Answers {@code reply}: a status ({@code +...}) or an error ({@code -...}). */
    private static void status(CommandContext c, String reply) {
        if (reply.startsWith("-")) {
            throw new CommandError(reply.substring(1));
        }
        c.reply().simpleString(reply.substring(1));
    }

    /** SAVE: writes {@code dir}/{@code dbfilename} now, blocking every client; {@code OK}, or a bare {@code ERR}. */
    static void save(CommandContext c) {
        if (c.engine().snapshots().bgsaveInProgress()) {
            throw new CommandError("ERR Background save already in progress");
        }
        try {
            c.engine().snapshots().save(System.currentTimeMillis());
        } catch (IOException e) {
            throw new CommandError(SAVE_FAILED);
        }
        c.reply().ok();
    }
}
