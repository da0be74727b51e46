/**
 * RESP2 and RESP3: request decoding straight from Netty {@code ByteBuf}s, the reply writer with Redis's
 * RESP3-to-RESP2 downgrade rules, and a reply parser for clients and tests.
 *
 * <p>Nothing here owns a thread. A {@link dev.peregrine.protocol.RequestDecoder} belongs to one connection and is
 * used by that connection's I/O thread only; a {@link dev.peregrine.protocol.ReplyWriter} is a flyweight used by
 * whichever single thread currently writes the buffer it wraps.
 */
package dev.peregrine.protocol;
