package dev.peregrine.server.replication;

import dev.peregrine.server.exec.Client;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundBuffer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * One replica connected to this primary: the client connection it came on, what it announced with REPLCONF, where
 * its synchronisation stands, the stream bytes held for it while its RDB is produced, and its last acknowledged
 * offset. Executor-owned, except {@link ChannelOutputStream}, which the snapshot writer thread uses.
 */
final class ReplicaPeer {
    /** Where the replica stands, as INFO names it. */
    enum State {
        /** REPLCONF seen, no SYNC/PSYNC yet: not a replica. */
        HANDSHAKE(null),
        /** Waits for a snapshot to start (another one runs). */
        WAIT_BGSAVE_START("wait_bgsave"),
        /** Its RDB is being produced and sent; the stream is held for it. */
        WAIT_BGSAVE_END("wait_bgsave"),
        /** Streamed RDB sent; the held stream goes out at its first ACK. */
        SEND_BULK("send_bulk"),
        ONLINE("online");

        final String infoName;

        State(String infoName) {
            this.infoName = infoName;
        }
    }

    final Client client;
    final Channel channel;
    State state = State.HANDSHAKE;
    int listeningPort;
    String announcedIp;
    boolean capaEof;
    boolean capaPsync2;
    /** Came with SYNC rather than PSYNC: no +FULLRESYNC line, a sized RDB. */
    boolean legacy;
    boolean diskless;
    long ackOffset;
    /** Unix ms when it asked for a full resync (repl-diskless-sync-delay counts from the first waiting). */
    long waitSince;
    /** Unix ms of the last ACK (or of going online). */
    long ackTime;
    /** Stream bytes held while the RDB is produced. */
    ArrayList<byte[]> held = new ArrayList<>();
    long heldBytes;
    /** Unix ms since the output went over the soft limit, 0 when under it. */
    long softLimitSince;

    ReplicaPeer(Client client) {
        this.client = client;
        this.channel = client.channel();
    }

    /** {@code ip:port} as INFO shows the replica: its address and the port it listens on. */
    String ip() {
        if (announcedIp != null) {
            return announcedIp;
        }
        String a = client.address();
        int colon = a.lastIndexOf(':');
        return colon > 0 ? a.substring(0, colon) : a;
    }

    void write(byte[] bytes) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes), channel.voidPromise());
    }

    void write(String text) {
        write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Holds stream bytes for later (its RDB is not sent yet). */
    void hold(byte[] bytes) {
        held.add(bytes);
        heldBytes += bytes.length;
    }

    /** Sends what was held, then goes online. */
    void releaseHeld(long now) {
        for (byte[] b : held) {
            channel.write(Unpooled.wrappedBuffer(b), channel.voidPromise());
        }
        channel.flush();
        held = new ArrayList<>();
        heldBytes = 0;
        state = State.ONLINE;
        ackTime = now;
    }

    /** Output not yet written to the socket, plus what is held: what the replica output limit applies to. */
    long outputBytes() {
        ChannelOutboundBuffer b = channel.unsafe().outboundBuffer();
        return heldBytes + (b == null ? 0 : b.totalPendingWriteBytes());
    }

    /**
     * One streamed RDB written to the sockets of several replicas (snapshot writer thread): a replica whose
     * connection fails is left out; the stream fails only when none is left.
     */
    static final class FanOut extends OutputStream {
        private final ArrayList<ChannelOutputStream> outs;
        /** Bytes handed to replica sockets, summed over them (total_net_repl_output_bytes). */
        final java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();

        FanOut(java.util.List<ChannelOutputStream> outs) {
            this.outs = new ArrayList<>(outs);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = outs.size() - 1; i >= 0; i--) {
                try {
                    outs.get(i).write(b, off, len);
                } catch (IOException e) {
                    outs.remove(i).close();
                }
            }
            if (outs.isEmpty()) {
                throw new IOException("connection with replica lost");
            }
            written.addAndGet((long) len * outs.size());
        }

        @Override
        public void flush() throws IOException {
            for (int i = outs.size() - 1; i >= 0; i--) {
                try {
                    outs.get(i).flush();
                } catch (IOException e) {
                    outs.remove(i).close();
                }
            }
            if (outs.isEmpty()) {
                throw new IOException("connection with replica lost");
            }
        }

        @Override
        public void close() {
            for (ChannelOutputStream o : outs) {
                o.close();
            }
        }
    }

    /**
     * Writes a streamed RDB to the replica's socket from the snapshot writer thread, in 64 KiB buffers, waiting
     * while the socket's outbound buffer is full.
     */
    static final class ChannelOutputStream extends OutputStream {
        private static final int CHUNK = 64 * 1024;
        private final Channel channel;
        private ByteBuf buf;

        ChannelOutputStream(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (buf == null) {
                    buf = Unpooled.buffer(CHUNK);
                }
                int n = Math.min(len, buf.writableBytes());
                buf.writeBytes(b, off, n);
                off += n;
                len -= n;
                if (!buf.isWritable()) {
                    send();
                }
            }
        }

        private void send() throws IOException {
            if (!channel.isActive()) {
                throw new IOException("connection with replica lost");
            }
            ByteBuf out = buf;
            buf = null;
            if (out == null || !out.isReadable()) {
                return;
            }
            ChannelFuture f = channel.writeAndFlush(out);
            if (!channel.isWritable()) {
                f.awaitUninterruptibly();
                if (!f.isSuccess()) {
                    throw new IOException("write to replica failed: " + f.cause());
                }
            }
        }

        @Override
        public void flush() throws IOException {
            send();
        }

        @Override
        public void close() {
            if (buf != null) {
                buf.release();
                buf = null;
            }
        }
    }
}
