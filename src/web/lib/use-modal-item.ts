import { useState } from 'react';

export interface ModalItem<T> {
  /** What the modal is about; kept while it fades out, cleared afterwards. */
  item: T | null;
  opened: boolean;
  open: (item: T) => void;
  close: () => void;
  /** For the modal's `onExitTransitionEnd`: forgets the item once the modal is gone. */
  clear: () => void;
}

/** State of a modal that shows one item (a token to revoke, a secret to copy...). */
export function useModalItem<T>(): ModalItem<T> {
  const [item, setItem] = useState<T | null>(null);
  const [opened, setOpened] = useState(false);
  return {
    item,
    opened,
    open: (next) => {
      setItem(next);
      setOpened(true);
    },
    close: () => setOpened(false),
    clear: () => {
      if (!opened) setItem(null);
    },
  };
}
