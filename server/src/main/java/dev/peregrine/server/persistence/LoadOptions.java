package dev.peregrine.server.persistence;

import dev.peregrine.persistence.rdb.RdbLoader;
import dev.peregrine.server.config.ServerConfig;
import dev.peregrine.storage.hash.HashLimits;
import dev.peregrine.storage.set.SetLimits;
import dev.peregrine.storage.zset.ZSetLimits;

/** The settings that shape values loaded from RDB data, taken from the configuration's encoding thresholds. */
public final class LoadOptions {
    private LoadOptions() {
    }

    /** Options for {@code databases} databases under the current configuration. Any thread. */
    public static RdbLoader.Options of(ServerConfig config, int databases) {
        return new RdbLoader.Options(databases,
                config.intValue("list-max-listpack-size"), config.intValue("list-compress-depth"),
                new HashLimits(config.longValue("hash-max-listpack-entries"),
                               config.longValue("hash-max-listpack-value")),
                new SetLimits(config.longValue("set-max-intset-entries"), config.longValue("set-max-listpack-entries"),
                              config.longValue("set-max-listpack-value")),
                new ZSetLimits(config.longValue("zset-max-listpack-entries"),
                               config.longValue("zset-max-listpack-value")));
    }
}
