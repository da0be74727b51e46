package dev.peregrine.storage.zset;

import dev.peregrine.storage.BytesTable;
import dev.peregrine.storage.KeyHash;

import java.util.Arrays;

/**
 * The member index of the {@code skiplist} sorted set encoding: member to its {@link SkipList.Node}, on the
 * open-addressing {@link BytesTable} (slot layout, invariants, SCAN guarantee and complexity there). Each slot's
 * entry is the node itself, so the index adds no object per member: the member array and the score live in the
 * node only. Executor-only.
 */
final class MemberIndex extends BytesTable {
    /** @param expected number of members to size the table for */
    MemberIndex(int expected) {
        super(expected);
    }

    /** The node of {@code member}, or null. */
    SkipList.Node node(byte[] member) {
        return (SkipList.Node) getEntry(member);
    }

    /** Indexes {@code node} under its member, in place of any node with that member. */
    void put(SkipList.Node node) {
        putEntry(node.member, node);
    }

    /** One SCAN step over the nodes; as {@link BytesTable#scan}. */
    long scanNodes(long cursor, ZVisitor visitor) {
        return scanEntries(cursor, e -> {
            SkipList.Node n = (SkipList.Node) e;
            visitor.visit(n.member, n.score);
        });
    }

    @Override
    protected int hashOf(Object entry) {
        return KeyHash.hash(((SkipList.Node) entry).member);
    }

    @Override
    protected boolean matches(Object entry, byte[] key) {
        return Arrays.equals(((SkipList.Node) entry).member, key);
    }

    @Override
    protected byte[] keyOf(Object entry) {
        return ((SkipList.Node) entry).member;
    }

    @Override
    protected byte[] valueOf(Object entry) {
        return ZSetValue.encodeScore(((SkipList.Node) entry).score);
    }

    @Override
    protected long entryBytes(Object entry) {
        // the node (32 bytes at level 1) and the member array's header and bytes
        return 48 + ((SkipList.Node) entry).member.length;
    }
}
