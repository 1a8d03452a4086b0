/**
 * Gives a JPEG an EXIF orientation without re-encoding it: its own Exif segments are dropped and a minimal one
 * (IFD0 with Orientation only) is put right after SOI. Used for RAW previews, which cameras store as the
 * sensor saw them while the RAW file carries the orientation (see [Note: RAW previews]). libvips keeps the last
 * Exif segment it meets, so the old ones must go rather than be shadowed.
 */
export function withJpegOrientation(jpeg: Buffer, orientation: number): Buffer {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return jpeg; // not a JPEG: leave it to the decoder
  const kept: Buffer[] = [jpeg.subarray(0, 2), exifSegment(orientation)];
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1]!;
    if (marker === 0xda || marker === 0xd9) break; // start of scan / end: the rest is image data
    const length = jpeg.readUInt16BE(at + 2);
    const end = at + 2 + length;
    if (end > jpeg.length) break;
    const isExif = marker === 0xe1 && jpeg.toString('latin1', at + 4, at + 10) === 'Exif\0\0';
    if (!isExif) kept.push(jpeg.subarray(at, end));
    at = end;
  }
  kept.push(jpeg.subarray(at));
  return Buffer.concat(kept);
}

function exifSegment(orientation: number): Buffer {
  // "Exif\0\0", then a big-endian TIFF header and one IFD with one SHORT entry: 0x0112 Orientation.
  const tiff = Buffer.alloc(26);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4); // IFD0 right after the header
  tiff.writeUInt16BE(1, 8); // one entry
  tiff.writeUInt16BE(0x0112, 10);
  tiff.writeUInt16BE(3, 12); // SHORT
  tiff.writeUInt32BE(1, 14); // one value
  tiff.writeUInt16BE(orientation, 18); // inline value (left-justified), two bytes of padding follow
  tiff.writeUInt32BE(0, 22); // no next IFD
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}
