package dev.sluice.service.fuzz;

import java.util.List;

/** Every shape the fuzz test sends valid bodies in. Add a shape here when the parser learns it. */
public final class ValidShapes {
  public static final List<ValidShape> ALL =
      List.of(new S3RecordsShape(), new MinioShape(), new SnsEnvelopeShape());

  private ValidShapes() {}
}
