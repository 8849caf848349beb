import { describe, expect, it } from 'vitest'
import { parseRosterCsv, validateRosterUnit, type RosterUnitInput } from '../src/modules/roster/parse'

const EN_HEADER = 'building,unit,kind,area,area_source,owner_names,owner_phones'
const ZH_HEADER = '楼栋,房号,类型,面积,面积来源,业主姓名,业主电话'

const csv = (...lines: string[]) => lines.join('\n')
const reasonsByLine = (r: { rejected: { line: number; reason: string }[] }) =>
  Object.fromEntries(r.rejected.map((x) => [x.line, x.reason]))

describe('parseRosterCsv: headers', () => {
  const expected: Omit<RosterUnitInput, 'line'>[] = [
    {
      building: '1栋',
      unit: '101',
      kind: 'residence',
      areaCenti: 8945,
      areaSource: 'register',
      owners: [{ name: '王秀英', phone: '13800000001' }],
      developerHeld: false,
    },
    {
      building: '1栋',
      unit: '102',
      kind: 'residence',
      areaCenti: 12000,
      areaSource: 'survey',
      owners: [{ name: '李四', phone: null }],
      developerHeld: false,
    },
  ]

  it('reads an English header', () => {
    const r = parseRosterCsv(
      csv(EN_HEADER, '1栋,101,residence,89.45,register,王秀英,13800000001', '1栋,102,residence,120,survey,李四,'),
    )
    expect(r.rejected).toEqual([])
    expect(r.units).toEqual([
      { line: 2, ...expected[0] },
      { line: 3, ...expected[1] },
    ])
  })

  it('reads English header names case-insensitively and with spaces', () => {
    const r = parseRosterCsv(
      csv(
        'Building,Unit,Kind,Area,Area Source,Owner Names,Owner Phones',
        '1栋,101,residence,89.45,register,王秀英,13800000001',
      ),
    )
    expect(r.rejected).toEqual([])
    expect(r.units).toEqual([{ line: 2, ...expected[0] }])
  })

  it('reads a Chinese header', () => {
    const r = parseRosterCsv(
      csv(ZH_HEADER, '1栋,101,住宅,89.45,登记,王秀英,13800000001', '1栋,102,住宅,120.00,实测,李四,'),
    )
    expect(r.rejected).toEqual([])
    expect(r.units).toEqual([
      { line: 2, ...expected[0] },
      { line: 3, ...expected[1] },
    ])
  })

  it('follows the header when the columns are in another order', () => {
    const r = parseRosterCsv(
      csv('业主电话,业主姓名,面积来源,面积,类型,房号,楼栋', '13800000001,王秀英,登记,89.45,住宅,101,1栋'),
    )
    expect(r.rejected).toEqual([])
    expect(r.units).toEqual([{ line: 2, ...expected[0] }])
  })

  it('takes the first line as data when there is no header', () => {
    const r = parseRosterCsv(
      csv('1栋,101,residence,89.45,register,王秀英,13800000001', '1栋,102,residence,120,survey,李四'),
    )
    expect(r.rejected).toEqual([])
    expect(r.units).toEqual([
      { line: 1, ...expected[0] },
      { line: 2, ...expected[1] },
    ])
  })

  it('ignores a UTF-8 BOM (Excel "CSV UTF-8")', () => {
    const r = parseRosterCsv(`\uFEFF${csv(ZH_HEADER, '1栋,101,住宅,89.45,登记,王秀英,13800000001')}`)
    expect(r.rejected).toEqual([])
    expect(r.units).toEqual([{ line: 2, ...expected[0] }])
    const noHeader = parseRosterCsv('\uFEFF1栋,101,住宅,89.45,登记,王秀英,13800000001')
    expect(noHeader.units).toEqual([{ line: 1, ...expected[0] }])
  })

  it('accepts Windows line endings, quoted cells and surrounding spaces', () => {
    const r = parseRosterCsv(`${EN_HEADER}\r\n "1栋" , 101 ,residence, 89.45 ,register,"王秀英",+86 138 0000 0001\r\n`)
    expect(r.rejected).toEqual([])
    expect(r.units).toEqual([{ line: 2, ...expected[0] }])
  })

  it('gives nothing for an empty file', () => {
    expect(parseRosterCsv('')).toEqual({ units: [], rejected: [] })
    expect(parseRosterCsv(EN_HEADER)).toEqual({ units: [], rejected: [] })
  })
})

describe('parseRosterCsv: values', () => {
  it('maps the Chinese kind and source aliases', () => {
    const r = parseRosterCsv(
      csv(
        ZH_HEADER,
        '1栋,101,住宅,80,登记,甲,',
        '地下车库,P-001,车位,12.5,实测,乙,',
        '商业街,S-01,商铺,45.6,合同,丙,',
        '地下车库,P-002,车库,12.5,产权证,丁,',
        '商业街,S-02,商业,45.6,购房合同,戊,',
        '1栋,102,住宅,80,不动产登记簿,己,',
        '1栋,103,住宅,80,实测面积,庚,',
        '1栋,104,parking,80,contract,辛,',
      ),
    )
    expect(r.rejected).toEqual([])
    expect(r.units.map((u) => [u.unit, u.kind, u.areaSource])).toEqual([
      ['101', 'residence', 'register'],
      ['P-001', 'parking', 'survey'],
      ['S-01', 'commercial', 'contract'],
      ['P-002', 'parking', 'register'],
      ['S-02', 'commercial', 'contract'],
      ['102', 'residence', 'register'],
      ['103', 'residence', 'survey'],
      ['104', 'parking', 'contract'],
    ])
  })

  it('stores areas as exact integers of 0.01 m²', () => {
    const r = parseRosterCsv(
      csv(
        EN_HEADER,
        'A,1,residence,89.45,register,甲,',
        'A,2,residence,1.13,register,乙,',
        'A,3,residence,0.01,register,丙,',
        'A,4,residence,1.5,register,丁,',
      ),
    )
    expect(r.units.map((u) => u.areaCenti)).toEqual([8945, 113, 1, 150])
  })

  it('splits co-owners on ; and 、 (and ；), phones in the same order', () => {
    const r = parseRosterCsv(
      csv(
        EN_HEADER,
        '1栋,101,residence,89.45,register,张三;李四,13800000001;13800000002',
        '1栋,102,residence,89.45,register,王五、赵六,13800000003、13800000004',
        '1栋,103,residence,89.45,register,孙七；周八,13800000005；13800000006',
        '1栋,104,residence,89.45,register,吴九;郑十,13800000007',
        '1栋,105,residence,89.45,register, 钱一 ; 陈二 ;,',
      ),
    )
    expect(r.rejected).toEqual([])
    expect(r.units.map((u) => u.owners)).toEqual([
      [
        { name: '张三', phone: '13800000001' },
        { name: '李四', phone: '13800000002' },
      ],
      [
        { name: '王五', phone: '13800000003' },
        { name: '赵六', phone: '13800000004' },
      ],
      [
        { name: '孙七', phone: '13800000005' },
        { name: '周八', phone: '13800000006' },
      ],
      [
        { name: '吴九', phone: '13800000007' },
        { name: '郑十', phone: null },
      ],
      [
        { name: '钱一', phone: null },
        { name: '陈二', phone: null },
      ],
    ])
  })

  it('normalises phones (+86, spaces, dashes)', () => {
    const r = parseRosterCsv(csv(EN_HEADER, '1栋,101,residence,80,register,甲;乙,+8613800000001;138-0000-0002'))
    expect(r.units[0]!.owners.map((o) => o.phone)).toEqual(['13800000001', '13800000002'])
  })
})

describe('parseRosterCsv: rejections carry the line number of the file', () => {
  it('rejects each bad line with its own line number and keeps the good ones', () => {
    const r = parseRosterCsv(
      csv(
        EN_HEADER, //                                                          1
        '1栋,101,residence,89.45,register,甲,13800000001', //                   2 ok
        '1栋,102,villa,89.45,register,乙,', //                                  3 bad kind
        '1栋,103,residence,12.345,register,丙,', //                             4 three decimals
        '1栋,104,residence,0,register,丁,', //                                  5 zero area
        '1栋,105,residence,0.00,register,戊,', //                               6 zero area
        '1栋,106,residence,80,guess,己,', //                                    7 bad source
        '1栋,107,residence,80,register,庚,12345', //                            8 bad phone
        '1栋,108,residence,80,register,辛,13800000001;13800000002', //          9 more phones than names
        '1栋,109,residence,80,register,,', //                                   10 no owner
        '1栋,101,residence,90,survey,壬,', //                                   11 duplicate of 2
        ',110,residence,80,register,癸,', //                                    12 no building
        '1栋,,residence,80,register,癸,', //                                    13 no unit
        '1栋,111,residence,-1,register,子,', //                                 14 negative
        '1栋,112,residence,1e3,register,丑,', //                                15 exponent
        '1栋,113,residence,80,register,寅,13800000009', //                      16 ok
      ),
    )
    expect(r.units.map((u) => [u.line, u.unit])).toEqual([
      [2, '101'],
      [16, '113'],
    ])
    expect(r.rejected.map((x) => x.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])
    const by = reasonsByLine(r)
    expect(by[3]).toMatch(/^kind: "villa"/)
    expect(by[4]).toMatch(/^area: "12.345"/)
    expect(by[5]).toMatch(/^area: "0"/)
    expect(by[6]).toMatch(/^area: "0.00"/)
    expect(by[7]).toMatch(/^area source: "guess"/)
    expect(by[8]).toMatch(/^owner phones: "12345"/)
    expect(by[9]).toBe('owner phones: more phones than owner names')
    expect(by[10]).toBe('owner names: at least one owner is required')
    expect(by[11]).toBe('duplicate of line 2 (1栋 101)')
    expect(by[12]).toMatch(/^building:/)
    expect(by[13]).toMatch(/^unit:/)
    expect(by[14]).toMatch(/^area: "-1"/)
    expect(by[15]).toMatch(/^area: "1e3"/)
  })

  it('numbers lines from 1 when there is no header', () => {
    const r = parseRosterCsv(
      csv(
        '1栋,101,residence,80,register,甲,',
        '1栋,102,residence,80,register,乙,1380000000',
        '1栋,101,residence,80,register,丙,',
      ),
    )
    expect(r.rejected).toEqual([
      { line: 2, reason: 'owner phones: "1380000000" is not a mainland mobile number' },
      { line: 3, reason: 'duplicate of line 1 (1栋 101)' },
    ])
  })

  it('a rejected line does not count as the first of a duplicate', () => {
    const r = parseRosterCsv(csv(EN_HEADER, '1栋,101,residence,0,register,甲,', '1栋,101,residence,80,register,乙,'))
    expect(r.rejected.map((x) => x.line)).toEqual([2])
    expect(r.units.map((u) => u.line)).toEqual([3])
  })

  it('treats the same unit number in another building as a different unit', () => {
    const r = parseRosterCsv(csv(EN_HEADER, '1栋,101,residence,80,register,甲,', '2栋,101,residence,80,register,乙,'))
    expect(r.rejected).toEqual([])
    expect(r.units).toHaveLength(2)
  })

  it('skips blank lines but keeps counting them, so line numbers match the file', () => {
    const text = csv(
      EN_HEADER, //                                          1
      '', //                                                  2
      '1栋,101,residence,80,register,甲,', //                 3
      '', //                                                  4
      '', //                                                  5
      '1栋,102,residence,12.345,register,乙,', //             6
      '1栋,101,residence,80,register,丙,', //                 7
      '', //                                                  8
    )
    const r = parseRosterCsv(text)
    expect(r.units.map((u) => [u.line, u.unit])).toEqual([[3, '101']])
    expect(r.rejected).toEqual([
      { line: 6, reason: expect.stringMatching(/^area: "12.345"/) },
      { line: 7, reason: 'duplicate of line 3 (1栋 101)' },
    ])
  })

  it('counts lines the same in a Windows (CRLF) file, and skips rows of empty cells and whitespace-only lines', () => {
    const text = [
      EN_HEADER,
      '',
      '1栋,101,residence,80,register,甲,',
      ',,,,,,',
      '   ',
      '1栋,102,residence,0,register,乙,',
    ].join('\r\n')
    const r = parseRosterCsv(text)
    expect(r.units.map((u) => u.line)).toEqual([3])
    expect(r.rejected.map((x) => x.line)).toEqual([6])
  })

  it('skips blank lines before the header too', () => {
    const r = parseRosterCsv(csv('', ZH_HEADER, '1栋,101,住宅,80,登记,甲,'))
    expect(r.rejected).toEqual([])
    expect(r.units.map((u) => u.line)).toEqual([3])
  })

  it('reports the line a record starts on when a quoted cell spans lines', () => {
    const r = parseRosterCsv(
      csv(EN_HEADER, '1栋,101,residence,80,register,"甲\n乙",', '1栋,102,residence,0,register,丙,'),
    )
    expect(r.rejected.map((x) => x.line)).toEqual([4])
  })
})

describe('validateRosterUnit', () => {
  const raw = {
    building: '1栋',
    unit: '101',
    kind: 'residence',
    area: '89.45',
    areaSource: 'register',
    ownerNames: ['甲'],
    ownerPhones: [] as string[],
  }

  it('accepts a good record', () => {
    expect(validateRosterUnit(7, raw)).toEqual({
      line: 7,
      building: '1栋',
      unit: '101',
      kind: 'residence',
      areaCenti: 8945,
      areaSource: 'register',
      owners: [{ name: '甲', phone: null }],
      developerHeld: false,
    })
  })

  it('enforces the column lengths of the database', () => {
    expect(validateRosterUnit(1, { ...raw, building: 'x'.repeat(33) })).toMatchObject({
      line: 1,
      reason: expect.stringMatching(/^building:/),
    })
    expect(validateRosterUnit(1, { ...raw, building: 'x'.repeat(32) })).not.toHaveProperty('reason')
    expect(validateRosterUnit(1, { ...raw, unit: 'x'.repeat(33) })).toMatchObject({
      reason: expect.stringMatching(/^unit:/),
    })
    expect(validateRosterUnit(1, { ...raw, ownerNames: ['名'.repeat(65)] })).toMatchObject({
      reason: expect.stringMatching(/^owner names:/),
    })
    expect(validateRosterUnit(1, { ...raw, ownerNames: ['名'.repeat(64)] })).not.toHaveProperty('reason')
  })
})

describe('developer-held units', () => {
  it('reads the optional eighth column (yes/no, 是/否) and rejects anything else', () => {
    const r = parseRosterCsv(
      [
        '1栋,301,residence,95,register,开发商,,是',
        '1栋,302,residence,95,register,开发商,,yes',
        '1栋,303,residence,95,register,张三,,否',
        '1栋,304,residence,95,register,张三,,maybe',
      ].join('\n'),
    )
    expect(r.units.map((u) => u.developerHeld)).toEqual([true, true, false])
    expect(r.rejected).toEqual([{ line: 4, reason: expect.stringContaining('developer held') }])
  })
})
