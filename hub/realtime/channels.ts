/** socket.io rooms: everyone of a meeting incl. the lobby, the admitted (media events), the chair. */
export const channels = {
  state: (meetingId: string) => `state:${meetingId}`,
  media: (meetingId: string) => `meeting:${meetingId}`,
  chair: (meetingId: string) => `chair:${meetingId}`,
};
