package dev.peregrine.server.exec;

import dev.peregrine.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;

import java.util.List;

/**
 * Runs a batch of requests of one client and sends their replies with one flush: the part of the command path
 * both dispatch modes share. Executor-only.
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
        ByteBuf out = client.channel().alloc().ioBuffer(256);
        client.reply.wrap(out, client.protocol);
        long now = System.currentTimeMillis();
        for (int i = 0, n = requests.size(); i < n; i++) {
            Object r = requests.get(i);
            if (r instanceof byte[][]) {
                engine.process(client, (byte[][]) r, now);
            } else {
                engine.protocolError(client, ((ProtocolException) r).getMessage());
            }
            if (client.closeAfterReply || client.closing) {
                break;
            }
        }
        client.reply.wrap(null, client.protocol);
        Engine.flush(client, out);
    }
}
