package dev.peregrine.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.peregrine.server.config.ServerConfig;
import org.slf4j.LoggerFactory;

/** Applies {@code loglevel} to Logback at start-up and on CONFIG SET. */
final class Logging {
    private Logging() {
    }

    static void configure(ServerConfig config) {
        apply(config.stringValue("loglevel"));
        config.onChange("loglevel", v -> apply((String) v));
    }

    static void apply(String redisLevel) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Level level;
        switch (redisLevel) {
            case "debug": level = Level.TRACE; break;
            case "verbose": level = Level.DEBUG; break;
            case "warning": level = Level.WARN; break;
            case "nothing": level = Level.OFF; break;
            default: level = Level.INFO; break;
        }
        ctx.getLogger("dev.peregrine").setLevel(level);
    }
}
