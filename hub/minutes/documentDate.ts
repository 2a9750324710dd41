/**
 * The date line of an administrative document (Nghị định 30/2020/NĐ-CP): "An Giang, ngày 08 tháng 12 năm 2026", a day
 * under 10 and the months 1 and 2 written with a leading zero.
 */
export function documentDateLine(place: string, isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const dayText = day < 10 ? `0${day}` : String(day);
  const monthText = month <= 2 ? `0${month}` : String(month);
  return `${place}, ngày ${dayText} tháng ${monthText} năm ${year}`;
}

/** Section numbers as the minutes write them: I, II, III, … */
export function romanNumeral(n: number): string {
  const numerals: Array<[number, string]> = [
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ];
  let rest = n;
  let text = '';
  for (const [value, numeral] of numerals)
    while (rest >= value) {
      text += numeral;
      rest -= value;
    }
  return text;
}
