package dev.peregrine.server.command.server;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Errors;

import java.time.Instant;

/** TIME, LASTSAVE and SHUTDOWN (Redis's server.c). Executor-only. */
public final class ServerCommands {
    private ServerCommands() {
    }

    public static void register(CommandTable t) {
        t.register("time", ServerCommands::time);
        t.register("lastsave", ServerCommands::lastsave);
        t.register("shutdown", ServerCommands::shutdown);
    }

    /** TIME: an array of two bulk strings, Unix seconds and the microseconds within that second. */
    static void time(CommandContext c) {
        Instant now = Instant.now();
        ReplyWriter r = c.reply();
        r.arrayHeader(2);
        r.bulk(now.getEpochSecond());
        r.bulk(now.getNano() / 1000);
    }

    /**
     * LASTSAVE: Unix seconds of the last successful save. Like Redis, the dataset counts as saved at start-up, so
     * until the first save this is the server's start time.
     */
    static void lastsave(CommandContext c) {
        c.reply().integer(c.engine().snapshots().lastSaveTime());
    }

    /**
     * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: checks the modifiers as Redis 7.2 does, then stops the server
     * through {@code Engine.requestShutdown()}; the caller gets no reply, its connection closes. ABORT answers
     * {@code ERR No shutdown in progress.} since a shutdown here never waits (no replicas to catch up, no save).
     */
    static void shutdown(CommandContext c) {
        boolean nosave = false;
        boolean save = false;
        boolean other = false;
        boolean abort = false;
        for (int i = 1; i < c.argc(); i++) {
            if (c.argIs(i, "nosave")) {
                nosave = true;
            } else if (c.argIs(i, "save")) {
                save = true;
            } else if (c.argIs(i, "now") || c.argIs(i, "force")) {
                other = true;
            } else if (c.argIs(i, "abort")) {
                abort = true;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if ((abort && (nosave || save || other)) || (nosave && save)) {
            throw new CommandError(Errors.SYNTAX);
        }
        if (abort) {
            throw new CommandError("ERR No shutdown in progress.");
        }
        boolean force = false;
        for (int i = 1; i < c.argc(); i++) {
            force |= c.argIs(i, "force");
        }
        String error = c.engine().snapshots().prepareForShutdown(save, nosave, force);
        if (error != null) {
            throw new CommandError(error);
        }
        c.client().closeAfterReply();
        c.engine().requestShutdown();
    }
}
