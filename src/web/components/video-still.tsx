import type { CSSProperties } from 'react';

const fill: CSSProperties = { width: '100%', height: '100%', objectFit: 'cover', display: 'block' };

/**
 * A video's first frame as a still picture: decorative, silent, without controls. The uploads
 * have no separate poster image, so the browser loads just enough of the file to draw a frame.
 */
export function VideoStill({ src }: { src: string }) {
  return (
    <div aria-hidden="true" style={{ width: '100%', height: '100%' }}>
      <video src={`${src}#t=0.1`} muted playsInline preload="metadata" style={fill} />
    </div>
  );
}
