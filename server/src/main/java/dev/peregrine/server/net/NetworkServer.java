package dev.peregrine.server.net;

import dev.peregrine.server.config.ServerConfig;
import dev.peregrine.server.exec.Client;
import dev.peregrine.server.exec.Dispatcher;
import dev.peregrine.server.exec.Stats;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The TCP listener: Netty with the native epoll transport when available (NIO otherwise), {@code io-threads}
 * event loops, one {@link ClientHandler} per connection.
 *
 * <p>Created and started by the server's start-up thread; its counters are read from any thread.
 */
public final class NetworkServer {
    private static final Logger log = LoggerFactory.getLogger(NetworkServer.class);
    /** Outbound bytes above which a connection stops being read until its client catches up. */
    private static final int HIGH_WATER_MARK = 4 * 1024 * 1024;
    private static final int LOW_WATER_MARK = 1024 * 1024;

    private final ServerConfig config;
    private final NetworkLimits limits;
    private final Stats stats;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Class<? extends ServerChannel> channelClass;
    private final AtomicLong nextClientId = new AtomicLong(1);
    private final AtomicInteger connected = new AtomicInteger();
    private final List<Channel> listeners = new ArrayList<>();
    private Dispatcher dispatcher;

    /**
     * @param ioThreads number of I/O event loops
     */
    public NetworkServer(ServerConfig config, Stats stats, int ioThreads) {
        this.config = config;
        this.limits = new NetworkLimits(config);
        this.stats = stats;
        if (Epoll.isAvailable()) {
            bossGroup = new EpollEventLoopGroup(1, new DefaultThreadFactory("peregrine-accept"));
            workerGroup = new EpollEventLoopGroup(ioThreads, new DefaultThreadFactory("peregrine-io"));
            channelClass = EpollServerSocketChannel.class;
        } else {
            bossGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("peregrine-accept"));
            workerGroup = new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("peregrine-io"));
            channelClass = NioServerSocketChannel.class;
        }
    }

    /** The I/O event loops (inline mode runs the executor on the only one). */
    public EventLoopGroup workerGroup() {
        return workerGroup;
    }

    /** {@code epoll} or {@code nio}. */
    public String transport() {
        return Epoll.isAvailable() ? "epoll" : "nio";
    }

    /**
     * Binds every address of {@code bind} on {@code port}; an address written with a leading {@code -} is
     * optional (as in Redis: its failure is logged, not fatal).
     *
     * @return the bound port (the chosen one when {@code port} is 0)
     * @throws Exception when a required address cannot be bound
     */
    public int start(Dispatcher dispatcher) throws Exception {
        this.dispatcher = dispatcher;
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, config.intValue("tcp-backlog"))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, config.longValue("tcp-keepalive") > 0)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                             new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new OutboundCounter(stats, limits), new ClientHandler(NetworkServer.this, dispatcher));
                    }
                });
        int port = config.intValue("port");
        String[] addresses = config.stringValue("bind").split(" ");
        for (String address : addresses) {
            boolean optional = address.startsWith("-");
            String host = optional ? address.substring(1) : address;
            if (host.equals("*")) {
                host = "0.0.0.0";
            } else if (host.equals("::*")) {
                host = "::";
            }
            try {
                Channel ch = b.bind(new InetSocketAddress(host, port)).sync().channel();
                listeners.add(ch);
                port = ((InetSocketAddress) ch.localAddress()).getPort();
            } catch (Exception e) {
                if (optional) {
                    log.debug("Optional bind address {} not bound: {}", host, e.toString());
                    continue;
                }
                log.warn("Warning: Could not create server TCP listening socket {}:{}: {}", host, port, e.getMessage());
                throw e;
            }
        }
        if (listeners.isEmpty()) {
            throw new IllegalStateException("Failed listening on port " + port + " (tcp), aborting.");
        }
        return port;
    }

    /** Closes the listeners and every connection, and stops the event loops. */
    public void stop() {
        for (Channel ch : listeners) {
            ch.close().syncUninterruptibly();
        }
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    NetworkLimits limits() {
        return limits;
    }

    Stats stats() {
        return stats;
    }

    /** A new client id (CLIENT ID), unique in this process. Any thread. */
    public long nextClientId() {
        return nextClientId.getAndIncrement();
    }

    /** Counts a new connection; false (and counted as rejected) when {@code maxclients} is reached. */
    boolean admit() {
        if (connected.incrementAndGet() > limits.maxClients()) {
            connected.decrementAndGet();
            stats.rejectedConnections.increment();
            return false;
        }
        return true;
    }

    void clientClosed(Client client) {
        connected.decrementAndGet();
    }

    /** Connections open now. */
    public int connectedClients() {
        return connected.get();
    }
}
