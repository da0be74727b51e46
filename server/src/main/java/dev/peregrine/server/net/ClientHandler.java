package dev.peregrine.server.net;

import dev.peregrine.protocol.ProtocolException;
import dev.peregrine.protocol.RequestDecoder;
import dev.peregrine.protocol.RequestSink;
import dev.peregrine.server.exec.Client;
import dev.peregrine.server.exec.Dispatcher;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-connection inbound handler: cumulates reads, decodes requests with a {@link RequestDecoder}, and hands
 * each read's requests to the {@link Dispatcher} as one batch. Enforces {@code client-query-buffer-limit}, and
 * stops reading while the connection's outbound buffer is over its high-water mark (a client that does not read
 * its replies is not read from).
 *
 * <p>I/O thread only (Netty guarantees one thread per channel).
 */
final class ClientHandler extends ChannelInboundHandlerAdapter implements RequestSink {
    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);
    private final NetworkServer server;
    private final Dispatcher dispatcher;
    private final RequestDecoder decoder;
    private Client client;
    private ByteBuf cumulation;
    private List<Object> pending = new ArrayList<>();
    private boolean failed;
    /** Decoding waits for the executor to run an unauthenticated client's last command (see decodeCumulation). */
    private boolean awaitingAuthStep;

    ClientHandler(NetworkServer server, Dispatcher dispatcher) {
        this.server = server;
        this.dispatcher = dispatcher;
        this.decoder = new RequestDecoder(server.limits().maxBulkLength());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!server.admit()) {
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(
                    "-ERR max number of clients reached\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
               .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            return;
        }
        boolean authRequired = server.limits().authRequired();
        client = new Client(server.nextClientId(), ctx.channel(), decoder, System.currentTimeMillis(), !authRequired);
        decoder.authRequired(authRequired);
        OutboundCounter counter = ctx.pipeline().get(OutboundCounter.class);
        if (counter != null) {
            counter.client(client); // Pub/Sub clients fall under the pubsub output limit class
        }
        dispatcher.connected(client);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (client == null || failed) {
            in.release();
            return;
        }
        server.stats().netInputBytes.add(in.readableBytes());
        cumulation = cumulation == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
        if (awaitingAuthStep) {
            checkQueryBufferLimit(ctx); // decoding resumes once the executor ran the command before
            return;
        }
        decodeCumulation(ctx);
    }

    /** Decodes what the cumulation holds into {@link #pending}; handles framing errors and the buffer limit. */
    private void decodeCumulation(ChannelHandlerContext ctx) {
        decoder.maxBulkLength(server.limits().maxBulkLength());
        try {
            decoder.decode(cumulation, this);
        } catch (ProtocolException e) {
            failed = true;
            pending.add(e);
            ctx.channel().config().setAutoRead(false);
            releaseCumulation();
            return;
        }
        if (decoder.pausedForAuth()) {
            // Unauthenticated: the decoder stopped after one command, which may authenticate (AUTH, HELLO AUTH)
            // and so lift the unauthenticated limits for what follows, as Redis runs commands one by one. Send
            // the command now with a marker the executor runs after it; decoding resumes from the marker.
            awaitingAuthStep = true;
            ctx.channel().config().setAutoRead(false);
            pending.add((Runnable) () -> ctx.channel().eventLoop().execute(() -> resumeAfterAuthStep(ctx)));
            dispatchPending();
        }
        checkQueryBufferLimit(ctx);
    }

    /** On the I/O thread, once the executor ran the command before the marker: decode and dispatch the rest. */
    private void resumeAfterAuthStep(ChannelHandlerContext ctx) {
        awaitingAuthStep = false;
        if (failed || client.closing() || !ctx.channel().isActive()) {
            return;
        }
        if (cumulation != null) {
            decodeCumulation(ctx);
            dispatchPending();
        }
        if (!failed && !awaitingAuthStep) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }
    }

    private void checkQueryBufferLimit(ChannelHandlerContext ctx) {
        if (cumulation == null) {
            return;
        }
        if (!cumulation.isReadable()) {
            releaseCumulation();
        } else {
            if (cumulation.readableBytes() > server.limits().queryBufferLimit()) {
                log.warn("Closing client that reached max query buffer length: id={} addr={} (qbuf initial "
                         + "bytes: {})", client.id(), client.address(), cumulation.readableBytes());
                failed = true;
                releaseCumulation();
                ctx.channel().config().setAutoRead(false);
                // commands decoded before the overflow still run and answer (as Redis had already answered
                // them); the executor then closes the connection, sending nothing for the oversized request
                Client c = client;
                pending.add((Runnable) c::closeAfterReply);
                dispatchPending();
                return;
            }
            cumulation.discardSomeReadBytes();
        }
    }

    @Override
    public void onCommand(byte[][] argv) {
        pending.add(argv);
    }

    /** Read buffer for {@link #readWhileBusy}; inline mode has one I/O thread. */
    private static java.nio.ByteBuffer busyReadBuffer;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == Dispatcher.POLL_WHILE_BUSY) {
            readWhileBusy(ctx);
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    /**
     * While a script holds the event loop (inline mode): reads what the peer sent straight from the socket and
     * runs it like a normal read, so SCRIPT KILL, FUNCTION KILL and SHUTDOWN NOSAVE work and other commands get
     * -BUSY. Epoll transport only; the data taken here is simply not seen again by the event loop.
     */
    private void readWhileBusy(ChannelHandlerContext ctx) {
        if (!(ctx.channel() instanceof io.netty.channel.unix.UnixChannel u) || !ctx.channel().isActive()
                || client == null || failed || awaitingAuthStep) {
            return;
        }
        if (busyReadBuffer == null) {
            busyReadBuffer = java.nio.ByteBuffer.allocateDirect(16 * 1024);
        }
        java.nio.ByteBuffer b = busyReadBuffer;
        try {
            while (true) {
                b.clear();
                int n = u.fd().read(b, 0, b.capacity());
                if (n <= 0) {
                    break;
                }
                b.limit(n);
                ByteBuf in = ctx.alloc().heapBuffer(n);
                in.writeBytes(b);
                channelRead(ctx, in);
                if (n < b.capacity() || failed || awaitingAuthStep) {
                    break;
                }
            }
        } catch (java.io.IOException e) {
            return; // the event loop sees the error or the close later
        }
        dispatchPending();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        dispatchPending();
    }

    private void dispatchPending() {
        if (client != null && !pending.isEmpty()) {
            if (dispatcher.runsOnCallerThread()) {
                // inline: the batch has run when dispatch returns, so the list is reused
                dispatcher.dispatch(client, pending);
                pending.clear();
            } else {
                List<Object> batch = pending;
                pending = new ArrayList<>(Math.max(4, batch.size()));
                dispatcher.dispatch(client, batch);
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!failed && !awaitingAuthStep) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseCumulation();
        if (client != null) {
            server.clientClosed(client);
            dispatcher.disconnected(client);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof java.io.IOException)) {
            log.warn("Connection error", cause);
        }
        ctx.close();
    }

    private void releaseCumulation() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }
}
