package dev.peregrine.server.net;

import dev.peregrine.server.exec.Client;
import dev.peregrine.server.exec.Stats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts bytes written to clients (INFO total_net_output_bytes) and enforces {@code client-output-buffer-limit}
 * for normal clients, and its pubsub class for clients in Pub/Sub mode, as Redis does: a connection whose unsent replies exceed the hard limit, or stay above the
 * soft limit for the soft-limit seconds, is closed. A limit of 0 is no limit. Like Redis, which counts only
 * what overflows its 16 KiB static reply buffer, the first 16 KiB pending are not counted.
 *
 * <p>I/O thread only (one instance per connection).
 */
final class OutboundCounter extends ChannelOutboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(OutboundCounter.class);
    /** Redis's PROTO_REPLY_CHUNK_BYTES: replies that fit its static buffer are not counted against limits. */
    private static final long REPLY_CHUNK_BYTES = 16 * 1024;
    private final Stats stats;
    private final NetworkLimits limits;
    /** When the pending bytes first went over the soft limit (ms), or 0. */
    private long softLimitSince;
    /** The connection's client once accepted (its Pub/Sub mode picks the limit class), or null. */
    private volatile Client client;

    OutboundCounter(Stats stats, NetworkLimits limits) {
        this.stats = stats;
        this.limits = limits;
    }

    /** Set by the connection's handler once the client exists. */
    void client(Client client) {
        this.client = client;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf) {
            stats.netOutputBytes.add(((ByteBuf) msg).readableBytes());
        }
        ctx.write(msg, promise);
        checkLimits(ctx);
    }

    private void checkLimits(ChannelHandlerContext ctx) {
        Client c = client;
        long[] l = c != null && c.pubsub() ? limits.pubsubOutputLimits() : limits.normalOutputLimits();
        long hard = l[0];
        long soft = l[1];
        if (hard == 0 && soft == 0) {
            return;
        }
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        if (buffer == null) {
            return;
        }
        // as Redis, the first 16 KiB of replies (its static per-client reply buffer) do not count
        long pending = Math.max(0, buffer.totalPendingWriteBytes() - REPLY_CHUNK_BYTES);
        boolean close = false;
        if (hard > 0 && pending >= hard) {
            close = true;
        } else if (soft > 0 && pending >= soft) {
            long now = System.currentTimeMillis();
            if (softLimitSince == 0) {
                softLimitSince = now;
            } else if (now - softLimitSince >= l[2] * 1000) {
                close = true;
            }
        } else {
            softLimitSince = 0;
        }
        if (close) {
            log.warn("Client addr={} scheduled to be closed ASAP for overcoming of output buffer limits.",
                     ctx.channel().remoteAddress());
            ctx.channel().close();
        }
    }
}
