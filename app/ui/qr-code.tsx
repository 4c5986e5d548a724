import { useEffect, useState } from 'react';

/**
 * A QR code of `text` as an image (a data: URL, which the lab's CSP allows). The `qrcode` package is loaded on
 * first use, so pages without a QR code never download it. Black on white with a quiet zone: phones read it
 * from a projector too.
 */
export function QrCode(props: { text: string; sizePx: number; label: string; className?: string }) {
  const { text, sizePx } = props;
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    setSrc(null);
    setFailed(false);
    import('qrcode')
      .then((QRCode) =>
        QRCode.toDataURL(text, {
          errorCorrectionLevel: 'M',
          margin: 2,
          width: sizePx * Math.min(2, Math.ceil(globalThis.devicePixelRatio || 1)),
          color: { dark: '#000000', light: '#ffffff' },
        }),
      )
      .then((url) => live && setSrc(url))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [text, sizePx]);
  if (failed) return null;
  return src ? (
    <img className={props.className} src={src} width={sizePx} height={sizePx} alt={props.label} />
  ) : (
    <span className={props.className} style={{ display: 'inline-block', width: sizePx, height: sizePx }} />
  );
}
