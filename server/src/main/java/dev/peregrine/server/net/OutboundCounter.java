package dev.peregrine.server.net;

import dev.peregrine.server.exec.Stats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/** Counts bytes written to clients for INFO total_net_output_bytes. I/O thread only. */
final class OutboundCounter extends ChannelOutboundHandlerAdapter {
    private final Stats stats;

    OutboundCounter(Stats stats) {
        this.stats = stats;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf) {
            stats.netOutputBytes.add(((ByteBuf) msg).readableBytes());
        }
        ctx.write(msg, promise);
    }
}
