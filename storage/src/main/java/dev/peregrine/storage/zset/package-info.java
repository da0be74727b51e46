/** Sorted set values: the compact listpack encoding, the skiplist with its member index, and range types. */
package dev.peregrine.storage.zset;
