package dev.peregrine.server.command.transaction;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.exec.Client;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.server.exec.Transaction;

import java.util.List;

/**
 * MULTI, EXEC, DISCARD, WATCH, UNWATCH. Queuing itself happens in {@link Engine#process}, which checks each
 * command while a transaction is open and queues it (or marks the transaction failed when it is rejected); EXEC
 * runs the queue through the same path. Executor-only.
 */
public final class TransactionCommands {
    static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";

    private TransactionCommands() {
    }

    public static void register(CommandTable t) {
        t.register("multi", TransactionCommands::multi);
        t.register("exec", TransactionCommands::exec);
        t.register("discard", TransactionCommands::discard);
        t.register("watch", TransactionCommands::watch);
        t.register("unwatch", TransactionCommands::unwatch);
    }

    /** MULTI: opens a transaction; {@code ERR MULTI calls can not be nested} when one is open. */
    static void multi(CommandContext c) {
        if (c.client().inMulti()) {
            throw new CommandError("ERR MULTI calls can not be nested");
        }
        c.client().beginMulti();
        c.reply().ok();
    }

    /**
     * EXEC: answers EXECABORT when a command was rejected while queuing, a null array when a watched key changed
     * or expired, else an array of the queued commands' replies, each run in order (an error in one does not stop
     * the others). Blocking commands run as their non-blocking forms.
     */
    static void exec(CommandContext c) {
        Client client = c.client();
        Engine engine = c.engine();
        Transaction tx = client.multi();
        if (tx == null) {
            throw new CommandError("ERR EXEC without MULTI");
        }
        long now = c.now();
        if (engine.watchedKeys().anyExpired(client, engine, now)) {
            client.dirtyCas(true);
        }
        if (tx.dirtyExec()) {
            engine.discardTransaction(client);
            throw new CommandError(EXECABORT);
        }
        if (client.dirtyCas()) {
            engine.discardTransaction(client);
            c.reply().nullArray();
            return;
        }
        engine.watchedKeys().unwatchAll(client);
        tx.startExecuting();
        List<byte[][]> queued = tx.queued();
        ReplyWriter r = client.replyWriter();
        r.arrayHeader(queued.size());
        try {
            for (int i = 0; i < queued.size(); i++) {
                engine.process(client, queued.get(i), now);
            }
        } finally {
            engine.discardTransaction(client);
        }
    }

    /** DISCARD: drops the queued commands and the watched keys. */
    static void discard(CommandContext c) {
        if (!c.client().inMulti()) {
            throw new CommandError("ERR DISCARD without MULTI");
        }
        c.engine().discardTransaction(c.client());
        c.reply().ok();
    }

    /** WATCH key [key ...]: EXEC fails if one of them changes (or expires) before it. */
    static void watch(CommandContext c) {
        Client client = c.client();
        if (client.inMulti()) {
            throw new CommandError("ERR WATCH inside MULTI is not allowed");
        }
        if (!client.dirtyCas()) {
            // already doomed: no point watching more
            for (int i = 1; i < c.argc(); i++) {
                c.engine().watchedKeys().watch(client, c.db(), c.arg(i), c.now());
            }
        }
        c.reply().ok();
    }

    /** UNWATCH: forgets every watched key (and a change already seen). */
    static void unwatch(CommandContext c) {
        c.engine().watchedKeys().unwatchAll(c.client());
        c.client().dirtyCas(false);
        c.reply().ok();
    }
}
