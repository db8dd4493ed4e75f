package io.glmvoicebatch.manifest;

import java.nio.charset.StandardCharsets;

/**
 * A line number per id (the line a manifest id was first used on, the ledger line that holds an id's last
 * state), kept as 64-bit id hashes in open-addressing arrays (12 bytes a slot) rather than a map of strings,
 * so a million ids take a few megabytes. Two different ids share a 64-bit hash with probability about
 * n^2 / 2^65: 3e-8 at a million ids.
 */
public final class IdLines {
  private long[] hashes = new long[1024];
  private int[] lines = new int[1024];
  private int size;

  /** The line recorded for {@code id}, or 0 when there is none. */
  public int get(String id) {
    long h = hash(id);
    int mask = hashes.length - 1;
    for (int i = slot(h, mask); ; i = (i + 1) & mask) {
      if (lines[i] == 0) {
        return 0;
      }
      if (hashes[i] == h) {
        return lines[i];
      }
    }
  }

  /** True when a line is recorded for {@code id}: the table used as a compact set of ids. */
  public boolean contains(String id) {
    return get(id) != 0;
  }

  /** Records {@code line} (>= 1) for {@code id} unless one is already recorded. */
  public void putIfAbsent(String id, int line) {
    put(hash(id), line, false);
  }

  /** Records {@code line} (>= 1) for {@code id}, replacing any earlier one. */
  public void put(String id, int line) {
    put(hash(id), line, true);
  }

  private void put(long h, int line, boolean replace) {
    if ((size + 1) * 4L > hashes.length * 3L) {
      grow();
    }
    insert(h, line, replace);
  }

  private void insert(long h, int line, boolean replace) {
    int mask = hashes.length - 1;
    for (int i = slot(h, mask); ; i = (i + 1) & mask) {
      if (lines[i] == 0) {
        hashes[i] = h;
        lines[i] = line;
        size++;
        return;
      }
      if (hashes[i] == h) {
        if (replace) {
          lines[i] = line;
        }
        return;
      }
    }
  }

  private void grow() {
    long[] oldHashes = hashes;
    int[] oldLines = lines;
    hashes = new long[oldHashes.length * 2];
    lines = new int[oldLines.length * 2];
    size = 0;
    for (int i = 0; i < oldHashes.length; i++) {
      if (oldLines[i] != 0) {
        insert(oldHashes[i], oldLines[i], false);
      }
    }
  }

  private static int slot(long h, int mask) {
    return (int) (h ^ (h >>> 32)) & mask;
  }

  /** 64-bit FNV-1a over the id's UTF-8 bytes, then mixed (splitmix64 finalizer) for the table's low bits. */
  private static long hash(String id) {
    long h = 0xcbf29ce484222325L;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }
}
