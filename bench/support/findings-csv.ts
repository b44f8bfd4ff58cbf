/** A findings file as inspectors import it (CSV, Chinese headers): `rows` problems of one inspection, mixed severities. */
export function findingsCsv(rows: number, inspection: string): Buffer {
  const lines = ['编号,标题,描述,类别,严重程度,位置,整改要求,整改期限'];
  const severities = ['轻微', '一般', '较大', '重大'];
  for (let n = 1; n <= rows; n += 1) {
    const deadline = n % 3 === 0 ? '2030-12-31T18:00:00+08:00' : '';
    lines.push(`${inspection}-${n},发现问题 ${n},检查中发现的第 ${n} 个问题,消防安全,${severities[n % 4]},${n % 50} 号仓库,按要求整改,${deadline}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}
