package io.glmvoicebatch.audio;

import java.io.Closeable;
import java.io.IOException;

/** Random-access read of a file's bytes, so that large files are read in blocks, never whole. */
interface ByteSource extends Closeable {
  long size();

  /**
   * Reads up to {@code len} bytes at {@code position}; returns how many were read (fewer only at
   * end of file).
   */
  int read(long position, byte[] dst, int off, int len) throws AudioFormatException;

  @Override
  default void close() throws IOException {}
}
