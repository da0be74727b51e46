package dev.peregrine.server.command.connection;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Errors;

/** Connection commands (Redis's networking.c and server.c connection handlers). Executor-only. */
public final class ConnectionCommands {
    private ConnectionCommands() {
    }

    public static void register(CommandTable t) {
        t.register("ping", ConnectionCommands::ping);
        t.register("echo", ConnectionCommands::echo);
        t.register("select", ConnectionCommands::select);
        t.register("quit", ConnectionCommands::quit);
    }

    /** PING [message]: {@code +PONG}, or the message as a bulk string. */
    static void ping(CommandContext c) {
        if (c.argc() > 2) {
            throw c.wrongArity();
        }
        ReplyWriter r = c.reply();
        if (c.argc() == 1) {
            r.pong();
        } else {
            r.bulk(c.arg(1));
        }
    }

    static void echo(CommandContext c) {
        c.reply().bulk(c.arg(1));
    }

    static void select(CommandContext c) {
        long db = c.longArg(1, "ERR value is not an integer or out of range");
        if (db < 0 || db >= c.engine().databaseCount()) {
            throw new CommandError(Errors.DB_INDEX_OUT_OF_RANGE);
        }
        c.client().dbIndex((int) db);
        c.reply().ok();
    }

    /** QUIT: {@code +OK}, then the connection closes. */
    static void quit(CommandContext c) {
        c.reply().ok();
        c.client().closeAfterReply();
    }
}
