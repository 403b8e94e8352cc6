/** Remembers the first notice per (address, purchase event), to tell duplicates. */
export interface FirstNoticeRegister {
  /** Records `noticeId` as the first for `key` unless one is there; returns the first one. */
  firstFor(key: string, noticeId: string): Promise<string>;
}
