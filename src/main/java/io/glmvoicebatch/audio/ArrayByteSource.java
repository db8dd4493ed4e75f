package io.glmvoicebatch.audio;

/** A {@link ByteSource} over bytes already in memory. */
final class ArrayByteSource implements ByteSource {
  private final byte[] bytes;

  ArrayByteSource(byte[] bytes) {
    this.bytes = bytes;
  }

  byte[] bytes() {
    return bytes;
  }

  @Override
  public long size() {
    return bytes.length;
  }

  @Override
  public int read(long position, byte[] dst, int off, int len) {
    if (position >= bytes.length) {
      return 0;
    }
    int n = (int) Math.min(len, bytes.length - position);
    System.arraycopy(bytes, (int) position, dst, off, n);
    return n;
  }
}
