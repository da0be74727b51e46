package dev.peregrine.server.exec;

import dev.peregrine.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;

import java.util.List;

/**
 * Runs a batch of requests of one client and sends their replies with one flush: the part of the command path
 * both dispatch modes share. It never keeps the list it is given (requests that must wait are copied), so an
 * inline caller may reuse it. Executor-only.
 */
final class BatchRunner {
    private final Engine engine;

    BatchRunner(Engine engine) {
        this.engine = engine;
    }

    void run(Client client, List<Object> requests) {
        if (client.closing) {
            return;
        }
        if (client.deferred != null) {
            // CLIENT PAUSE: earlier requests of this client still wait, so these queue up behind them
            client.deferred.addAll(requests);
            return;
        }
        long now = System.currentTimeMillis();
        // time-outs due now are answered before this batch runs (Redis checks them on every event-loop turn)
        engine.handleBlockedTimeouts(now);
        // messages published to this client earlier go out before this batch's replies
        engine.flushPush(client);
        ByteBuf out = client.channel().alloc().ioBuffer(1024);
        client.reply.wrap(out, client.protocol);
        for (int i = 0, n = requests.size(); i < n; i++) {
            Object r = requests.get(i);
            if (r instanceof byte[][] && engine.mustWait(client, (byte[][]) r, now)) {
                // CLIENT PAUSE: this request and the rest of the batch wait; replies so far are sent below
                engine.postpone(client, new java.util.ArrayList<>(requests.subList(i, n)));
                break;
            }
            if (r instanceof byte[][]) {
                engine.process(client, (byte[][]) r, now);
                if (client.blocked != null) {
                    // a blocking command with nothing to serve: it and the rest of the batch wait for a key
                    client.deferred = new java.util.ArrayList<>(requests.subList(i, n));
                    break;
                }
                // serve clients blocked on keys this command made ready, before anything else runs
                engine.handleClientsBlockedOnKeys();
            } else if (r instanceof Runnable) {
                // a marker from the connection's handler: run once the requests before it have run
                ((Runnable) r).run();
            } else {
                engine.protocolError(client, ((ProtocolException) r).getMessage());
            }
            if (client.closeAfterReply || client.closing) {
                break;
            }
        }
        client.reply.wrap(null, client.protocol);
        engine.flush(client, out);
        // a CLIENT UNPAUSE in this batch lets postponed clients run now, after this batch's replies
        engine.resumePostponed(now);
        // clients unblocked during this batch run their waiting requests now
        engine.processUnblocked();
        // messages this batch published to other clients, written once per loop turn
        engine.flushPushesLater();
    }
}
