package dev.peregrine.server;

import dev.peregrine.server.config.ConfigLoader;
import dev.peregrine.server.config.ServerConfig;
import dev.peregrine.server.exec.ServerInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code peregrine-server [/path/to/peregrine.conf] [--directive value ...]}: valkey-server's command line.
 * Loads the configuration, starts the server, and stops it cleanly on SIGTERM/SIGINT or SHUTDOWN.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("-v") || args[0].equals("--version"))) {
            ServerInfo info = new ServerInfo();
            System.out.println("Peregrine server v=" + info.version() + " redis_version=" + ServerInfo.REDIS_VERSION
                               + " bits=64 java=" + System.getProperty("java.version"));
            return;
        }
        if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
            System.out.println("Usage: peregrine-server [/path/to/peregrine.conf] [options] [-]\n"
                               + "       peregrine-server - (read config from stdin)\n"
                               + "       peregrine-server -v or --version\n"
                               + "       peregrine-server -h or --help\n\n"
                               + "Examples:\n"
                               + "       peregrine-server (run the server with default config)\n"
                               + "       peregrine-server /etc/peregrine/6379.conf\n"
                               + "       peregrine-server --port 7777\n"
                               + "       peregrine-server /etc/myperegrine.conf --loglevel verbose\n"
                               + "       peregrine-server --port 7000 --bind 127.0.0.1 --save \"\" --appendonly no");
            return;
        }
        ServerConfig config = new ServerConfig();
        ConfigLoader.Parsed parsed = ConfigLoader.parseCommandLine(args);
        try {
            new ConfigLoader(config).load(parsed);
        } catch (ConfigLoader.FatalConfigError e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        Logging.configure(config);
        Logger log = LoggerFactory.getLogger(Main.class);
        ServerInfo probe = new ServerInfo();
        log.info("oO0OoO0OoO0Oo Peregrine is starting oO0OoO0OoO0Oo");
        log.info("Peregrine version={}, redis_version={}, bits=64, pid={}, just started", probe.version(),
                 ServerInfo.REDIS_VERSION, probe.pid());
        if (parsed.configFile == null) {
            log.warn("Warning: no config file specified, using the default config. In order to specify a config "
                     + "file use peregrine-server /path/to/peregrine.conf");
        } else {
            log.info("Configuration loaded from {}", config.configFile() != null ? config.configFile() : "stdin");
        }
        PeregrineServer server;
        try {
            server = new PeregrineServer(config);
        } catch (IllegalStateException e) {
            // a rename-command naming an unknown command, or a target that exists
            System.err.println("Fatal config error: " + e.getMessage());
            System.exit(1);
            return;
        }
        server.afterStop(() -> Runtime.getRuntime().halt(0));
        // SIGTERM and SIGINT stop cleanly and exit 0, as redis-server does
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                log.warn("Received SIG{} scheduling shutdown...", sig.getName());
                new Thread(server::stop, "peregrine-shutdown").start();
            });
        }
        try {
            int port = server.start();
            log.info("Running mode=standalone, port={}.", port);
        } catch (StartupLoader.LoadFailure e) {
            log.warn("Fatal error loading the DB: {}. Exiting.", e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            log.error("Failed to start: {}", e.getMessage());
            System.exit(1);
        }
        server.awaitStop();
    }
}
