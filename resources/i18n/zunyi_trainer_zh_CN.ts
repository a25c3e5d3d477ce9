<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>Register in use</source>
        <translation>登记册正在使用</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Newer register</source>
        <translation>登记册版本较新</translation>
    </message>
    <message>
        <source>Register damaged</source>
        <translation>登记册已损坏</translation>
    </message>
    <message>
        <source>Restore the newest good backup (%1, taken %2) now? The damaged file is kept beside it.</source>
        <translation>现在从最新的完好备份（%1，备份于 %2）恢复吗？损坏的文件会另行保留。</translation>
    </message>
    <message>
        <source>Restore the backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>Restore failed</source>
        <translation>恢复失败</translation>
    </message>
    <message>
        <source>Cannot open the register</source>
        <translation>无法打开登记册</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Continue anyway</source>
        <translation>仍然继续</translation>
    </message>
    <message>
        <source>New register</source>
        <translation>新建登记册</translation>
    </message>
    <message>
        <source>A new, empty register was created in %1.

Fill it with the demo school (made-up classes, trainees and teachers) to look around? Use a separate data folder for your real school.</source>
        <translation>已在 %1 新建了一个空登记册。

要填入演示学校（虚构的培训班、学员和教师）先熟悉一下吗？真实学校的数据请使用另一个数据目录。</translation>
    </message>
    <message>
        <source>Fill the demo school</source>
        <translation>填入演示学校</translation>
    </message>
    <message>
        <source>Start empty</source>
        <translation>从空登记册开始</translation>
    </message>
    <message>
        <source>Filling the demo school…</source>
        <translation>正在填入演示学校…</translation>
    </message>
    <message>
        <source>The register was brought up to this version; the backup taken before is %1</source>
        <translation>登记册已升级到本程序的版本；升级前的备份为 %1</translation>
    </message>
    <message>
        <source>Something unexpected went wrong and the operation did not complete. Data saved earlier is not affected. The details were written to the log file in the data folder (logs).</source>
        <translation>发生了意外错误，操作没有完成。之前保存的数据不受影响。详细信息已写入数据目录中的日志文件（logs）。</translation>
    </message>
    <message>
        <source>Could not complete</source>
        <translation>未能完成</translation>
    </message>
    <message>
        <source>Please wait</source>
        <translation>请稍候</translation>
    </message>
    <message>
        <source>Cannot delete</source>
        <translation>不能删除</translation>
    </message>
    <message>
        <source>Delete “%1”? This cannot be undone.</source>
        <translation>删除“%1”吗？删除后无法恢复。</translation>
    </message>
    <message>
        <source>These go with it:</source>
        <translation>以下内容将一并删除：</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Trade</source>
        <translation>职业（工种）</translation>
    </message>
    <message>
        <source>Industry</source>
        <translation>产业</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Training type</source>
        <translation>培训类型</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>培训方式</translation>
    </message>
    <message>
        <source>Funding</source>
        <translation>资金来源</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Starts</source>
        <translation>开班日期</translation>
    </message>
    <message>
        <source>Ends</source>
        <translation>结业日期</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Trainees</source>
        <translation>学员</translation>
    </message>
    <message>
        <source>Periods</source>
        <translation>课时</translation>
    </message>
    <message>
        <source>Venue</source>
        <translation>场地</translation>
    </message>
    <message>
        <source>Approval no.</source>
        <translation>批文号</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Education</source>
        <translation>文化程度</translation>
    </message>
    <message>
        <source>Key group</source>
        <translation>重点群体</translation>
    </message>
    <message>
        <source>Employer</source>
        <translation>工作单位</translation>
    </message>
    <message>
        <source>Household address</source>
        <translation>户籍地址</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>:</source>
        <translation>：</translation>
    </message>
    <message>
        <source>%1 trainees (ID numbers are masked in the list; open a record to see the full number)</source>
        <translation>共 %1 名学员（列表中身份证号已脱敏，打开记录可查看完整号码）</translation>
    </message>
    <message>
        <source>Employment</source>
        <translation>用工形式</translation>
    </message>
    <message>
        <source>Professional title</source>
        <translation>职称</translation>
    </message>
    <message>
        <source>Qualifications</source>
        <translation>资格证书</translation>
    </message>
    <message>
        <source>Next expiry</source>
        <translation>最近到期</translation>
    </message>
    <message>
        <source>Certificates</source>
        <translation>证书状态</translation>
    </message>
    <message>
        <source>Other institutions this year</source>
        <translation>本年兼职机构数</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>在职</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>Expiring soon</source>
        <translation>即将到期</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Seats</source>
        <translation>座位数</translation>
    </message>
    <message>
        <source>Area (m²)</source>
        <translation>面积（平方米）</translation>
    </message>
    <message>
        <source>Equipment items</source>
        <translation>设备数</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>在用</translation>
    </message>
    <message>
        <source>Asset no.</source>
        <translation>资产编号</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Acquired on</source>
        <translation>购置日期</translation>
    </message>
    <message>
        <source>Value (yuan)</source>
        <translation>价值（元）</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>用途说明</translation>
    </message>
    <message>
        <source>Equipment</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>Invoice no.</source>
        <translation>发票号</translation>
    </message>
    <message>
        <source>Invoice attached</source>
        <translation>附发票</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>Venues</source>
        <translation>场地</translation>
    </message>
    <message>
        <source>Equipment spend</source>
        <translation>设备投入</translation>
    </message>
</context>
<context>
    <name>AppliedPage</name>
    <message>
        <source>County return imported</source>
        <translation>县局回执已导入</translation>
    </message>
    <message>
        <source>This return file was imported before; nothing changed.</source>
        <translation>这份回执以前已经导入过，没有任何改变。</translation>
    </message>
    <message>
        <source>%1 decision(s) recorded, %2 batch(es) acknowledged.</source>
        <translation>已登记 %1 个批复，%2 个批次已确认。</translation>
    </message>
    <message>
        <source>%1: approved</source>
        <translation>%1：批准</translation>
    </message>
    <message>
        <source>%1: not approved</source>
        <translation>%1：不予批准</translation>
    </message>
</context>
<context>
    <name>AttendanceGrid</name>
    <message>
        <source>Space: next status · F: rest of the session present · Del: take back · Ctrl+S: save · Ctrl+Z: undo</source>
        <translation>空格 换下一状态 · F 其余出勤 · Del 取消未保存的 · Ctrl+S 保存 · Ctrl+Z 撤销</translation>
    </message>
    <message>
        <source>Save marks</source>
        <translation>保存考勤</translation>
    </message>
    <message>
        <source>Save every unsaved entry at once (Ctrl+S)</source>
        <translation>一次保存全部未保存的考勤 (Ctrl+S)</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Mark the session as</source>
        <translation>整个课次记为</translation>
    </message>
    <message>
        <source>Mark the trainee as</source>
        <translation>该学员全部记为</translation>
    </message>
    <message>
        <source>Rest present (F)</source>
        <translation>其余出勤 (F)</translation>
    </message>
    <message>
        <source>Mark every unmarked trainee of the selected session present</source>
        <translation>把所选课次中尚未记录的学员都记为出勤</translation>
    </message>
    <message>
        <source>This session&apos;s sign-in sheet…</source>
        <translation>本课次的签到表…</translation>
    </message>
    <message>
        <source>The day&apos;s sign-in sheets…</source>
        <translation>当天的签到表…</translation>
    </message>
    <message>
        <source>Sign-in sheet</source>
        <translation>签到表</translation>
    </message>
    <message>
        <source>Punch log of the terminal…</source>
        <translation>考勤机打卡记录…</translation>
    </message>
    <message>
        <source>Filled attendance workbook…</source>
        <translation>填好的考勤表…</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Selected mark</source>
        <translation>所选考勤</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>签到</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>签退</translation>
    </message>
    <message>
        <source>Use these times</source>
        <translation>按这两个时间记录</translation>
    </message>
    <message>
        <source>Enter the times; the status follows from the school&apos;s tolerances</source>
        <translation>填写签到、签退时间，按本校的迟到、早退标准得出考勤状态</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>The attendance could not be read; see the log.</source>
        <translation>无法读取考勤，详见日志。</translation>
    </message>
    <message>
        <source>Rates by periods attended, as of today. Threshold %1; %2 trainee(s) below it.</source>
        <translation>按课时计算的出勤率（截至今天）。补贴标准线 %1；%2 名学员未达标。</translation>
    </message>
    <message>
        <source>%1 unsaved entry(ies): save with Ctrl+S.</source>
        <translation>%1 条未保存，按 Ctrl+S 保存。</translation>
    </message>
    <message>
        <source>The class is archived: its attendance can no longer be changed.</source>
        <translation>本班已归档，考勤不能再修改。</translation>
    </message>
    <message>
        <source>Not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <source> (not saved)</source>
        <translation>（未保存）</translation>
    </message>
    <message>
        <source>Recorded by %1, %2 (%3)</source>
        <translation>%1 于 %2 记录（%3）</translation>
    </message>
    <message>
        <source>Late correction: %1</source>
        <translation>补录：%1</translation>
    </message>
    <message>
        <source>Reason for leave: %1</source>
        <translation>请假事由：%1</translation>
    </message>
    <message>
        <source>Outside the trainee&apos;s enrolment: not marked.</source>
        <translation>不在该学员的在班期间，不记考勤。</translation>
    </message>
    <message>
        <source>Attendance</source>
        <translation>考勤</translation>
    </message>
    <message>
        <source>On leave</source>
        <translation>请假</translation>
    </message>
    <message>
        <source>Reason for the leave (e.g. 病假):</source>
        <translation>请假事由（如 病假）：</translation>
    </message>
    <message>
        <source>Enter the reason for the leave: the archive keeps it.</source>
        <translation>请填写请假事由，档案中要保存。</translation>
    </message>
    <message>
        <source>Keep the reason within %1 characters.</source>
        <translation>原因请不超过 %1 个字。</translation>
    </message>
    <message>
        <source>Late correction</source>
        <translation>补录</translation>
    </message>
    <message>
        <source>%1 mark(s) change what was recorded (补录). Reason for the correction:</source>
        <translation>有 %1 条考勤改动了已记录的内容（补录）。补录原因：</translation>
    </message>
    <message>
        <source>Enter the reason for the correction: the archive keeps it.</source>
        <translation>请填写补录原因，档案中要保存。</translation>
    </message>
    <message>
        <source>Mark %1</source>
        <translation>记为%1</translation>
    </message>
    <message>
        <source>Take back</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Rest of the session present</source>
        <translation>其余记为出勤</translation>
    </message>
    <message>
        <source>Select a cell of the session first.</source>
        <translation>请先选中该课次中的一格。</translation>
    </message>
    <message>
        <source>Session marked %1</source>
        <translation>整个课次记为%1</translation>
    </message>
    <message>
        <source>Select a cell of the trainee first.</source>
        <translation>请先选中该学员的一格。</translation>
    </message>
    <message>
        <source>Trainee marked %1</source>
        <translation>该学员记为%1</translation>
    </message>
    <message>
        <source>The sign-out time is earlier than the sign-in time; check them.</source>
        <translation>签退时间早于签到时间，请核对。</translation>
    </message>
    <message>
        <source>Times entered</source>
        <translation>填写时间</translation>
    </message>
    <message>
        <source>Please wait</source>
        <translation>请稍候</translation>
    </message>
    <message>
        <source>Unsaved attendance</source>
        <translation>考勤未保存</translation>
    </message>
    <message>
        <source>%1 attendance entry(ies) are not saved yet. Save them?</source>
        <translation>还有 %1 条考勤没有保存。现在保存吗？</translation>
    </message>
    <message>
        <source>Save or undo the unsaved entries first.</source>
        <translation>请先保存或撤销未保存的考勤。</translation>
    </message>
    <message>
        <source>The class has no sessions yet.</source>
        <translation>本班还没有课程安排。</translation>
    </message>
    <message>
        <source>Import a punch log</source>
        <translation>导入考勤机打卡记录</translation>
    </message>
    <message>
        <source>Import a filled attendance workbook</source>
        <translation>导入填好的考勤表</translation>
    </message>
    <message>
        <source>Workbooks and CSV (*.xlsx *.xls *.csv *.txt)</source>
        <translation>表格文件 (*.xlsx *.xls *.csv *.txt)</translation>
    </message>
    <message>
        <source>Recording the marks…</source>
        <translation>正在记录考勤…</translation>
    </message>
    <message>
        <source>Checking the file…</source>
        <translation>正在检查文件…</translation>
    </message>
</context>
<context>
    <name>AttendanceGridModel</name>
    <message>
        <source>Rate</source>
        <translation>出勤率</translation>
    </message>
    <message>
        <source>Subsidy</source>
        <translation>补贴资格</translation>
    </message>
    <message>
        <source>periods</source>
        <translation>课时</translation>
    </message>
    <message>
        <source>Attended / expected</source>
        <translation>实到/应到</translation>
    </message>
    <message>
        <source> (withdrawn)</source>
        <translation>（已退学）</translation>
    </message>
    <message>
        <source>Not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <source> (not saved)</source>
        <translation>（未保存）</translation>
    </message>
    <message>
        <source>Signed in – out: %1</source>
        <translation>签到–签退：%1</translation>
    </message>
    <message>
        <source>Reason for leave: %1</source>
        <translation>请假事由：%1</translation>
    </message>
    <message>
        <source>Late correction: %1</source>
        <translation>补录：%1</translation>
    </message>
    <message>
        <source>Reached</source>
        <translation>达标</translation>
    </message>
    <message>
        <source>Below</source>
        <translation>未达标</translation>
    </message>
    <message>
        <source>%1 of %2 periods attended; threshold %3</source>
        <translation>应计 %2 课时，出勤 %1 课时；补贴标准线 %3</translation>
    </message>
    <message>
        <source>Not subsidised in this class</source>
        <translation>本班不享受补贴</translation>
    </message>
    <message>
        <source>Not recorded: %1</source>
        <translation>未记录 %1</translation>
    </message>
</context>
<context>
    <name>BackupsPanel</name>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>Take a backup of the register now (Ctrl+S anywhere in the window)</source>
        <translation>立即备份登记册（在窗口任意位置按 Ctrl+S 亦可）</translation>
    </message>
    <message>
        <source>Restore the chosen backup…</source>
        <translation>恢复所选备份…</translation>
    </message>
    <message>
        <source>Open the backups folder</source>
        <translation>打开备份文件夹</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>A backup is taken before every upgrade and before every restore; the newest ten, one a day for two weeks and one a month for two years are kept. Copy them to a USB stick from time to time.</source>
        <translation>每次升级和恢复前都会自动备份；保留最近 10 个、两周内每天 1 个、两年内每月 1 个。请定期把备份复制到U盘。</translation>
    </message>
    <message>
        <source>by hand</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>before an upgrade</source>
        <translation>升级前</translation>
    </message>
    <message>
        <source>before a restore</source>
        <translation>恢复前</translation>
    </message>
    <message>
        <source>daily</source>
        <translation>每日</translation>
    </message>
    <message>
        <source>Kept in: %1</source>
        <translation>保存位置：%1</translation>
    </message>
    <message>
        <source>Backup saved: %1</source>
        <translation>备份已保存：%1</translation>
    </message>
    <message>
        <source>Backing up the register…</source>
        <translation>正在备份登记册…</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>This register is kept on a database server; its administrator restores it.</source>
        <translation>本登记册保存在数据库服务器上，请由数据库管理员恢复。</translation>
    </message>
    <message>
        <source>Work is still running (an import, export or backup). Restore when it has finished.</source>
        <translation>还有工作在进行（导入、导出或备份），请等它完成后再恢复。</translation>
    </message>
    <message>
        <source>Restore a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>Replace the register with the backup taken %1?

Everything entered after that time will no longer be in the register. The register as it is now is kept as a backup first (before a restore), so this can be undone. Open class windows are closed.</source>
        <translation>用 %1 的备份替换当前登记册？

此后录入的数据将不在恢复后的登记册中。当前登记册会先另存为一个备份（恢复前），可以撤回。已打开的培训班窗口会关闭。</translation>
    </message>
    <message>
        <source>The register was restored from the backup taken %1.</source>
        <translation>已从 %1 的备份恢复登记册。</translation>
    </message>
    <message>
        <source>The register as it was before is kept at: %1</source>
        <translation>恢复前的登记册保存在：%1</translation>
    </message>
    <message>
        <source>Restored</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <source>Restoring the register…</source>
        <translation>正在恢复登记册…</translation>
    </message>
</context>
<context>
    <name>BatchExportWizard</name>
    <message>
        <source>Export a batch</source>
        <translation>导出批次</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>培训班</translation>
    </message>
    <message>
        <source>Trainees</source>
        <translation>学员</translation>
    </message>
    <message>
        <source>Enrolments</source>
        <translation>报名</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>课次</translation>
    </message>
    <message>
        <source>Attendance</source>
        <translation>考勤</translation>
    </message>
    <message>
        <source>Teachers</source>
        <translation>师资</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Venues</source>
        <translation>场地</translation>
    </message>
    <message>
        <source>Equipment</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Equipment spend</source>
        <translation>设备投入</translation>
    </message>
</context>
<context>
    <name>ChangesPage</name>
    <message>
        <source>What the return file will change</source>
        <translation>回执将作出的更改</translation>
    </message>
    <message>
        <source>Importing the county return…</source>
        <translation>正在导入县局回执…</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>应用(&amp;A)</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>培训班</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>之后</translation>
    </message>
    <message>
        <source>Approval no. / reason</source>
        <translation>批文号 / 原因</translation>
    </message>
    <message>
        <source>Decided on</source>
        <translation>批复日期</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>审批单位</translation>
    </message>
    <message>
        <source>This return file was imported before; applying it again changes nothing.</source>
        <translation>这份回执以前已经导入过，再次应用不会改变任何数据。</translation>
    </message>
    <message>
        <source>Return file %1, issued %2: %3 approval(s), %4 rejection(s), %5 batch(es) acknowledged.</source>
        <translation>回执文件 %1，签发于 %2：批准 %3 个，不予批准 %4 个，确认批次 %5 个。</translation>
    </message>
    <message>
        <source>The county acknowledges receiving batch(es) No. %1.</source>
        <translation>县局确认已收到第 %1 批。</translation>
    </message>
    <message>
        <source>Already acknowledged before: No. %1.</source>
        <translation>以前已确认：第 %1 批。</translation>
    </message>
</context>
<context>
    <name>ClassDetailWindow</name>
    <message>
        <source>Submit for approval</source>
        <translation>报审</translation>
    </message>
    <message>
        <source>Record the decision…</source>
        <translation>登记批复…</translation>
    </message>
    <message>
        <source>Start the class</source>
        <translation>开班</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>结业</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>Back to draft</source>
        <translation>退回草稿</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>文书</translation>
    </message>
    <message>
        <source>Basic information</source>
        <translation>基本信息</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Timetable</source>
        <translation>课程表</translation>
    </message>
    <message>
        <source>Build from a pattern…</source>
        <translation>按规律排课…</translation>
    </message>
    <message>
        <source>Add a session…</source>
        <translation>添加课次…</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Periods</source>
        <translation>课时</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Teacher</source>
        <translation>教师</translation>
    </message>
    <message>
        <source>Venue</source>
        <translation>场地</translation>
    </message>
    <message>
        <source>Trainees</source>
        <translation>学员</translation>
    </message>
    <message>
        <source>Enrol existing trainees…</source>
        <translation>从学员库报名…</translation>
    </message>
    <message>
        <source>Import a roster…</source>
        <translation>导入花名册…</translation>
    </message>
    <message>
        <source>Withdraw…</source>
        <translation>退学…</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Key group</source>
        <translation>重点群体</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>报名日期</translation>
    </message>
    <message>
        <source>Subsidised</source>
        <translation>享受补贴</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>退学</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Attendance</source>
        <translation>考勤</translation>
    </message>
    <message>
        <source>Assessment and certificates</source>
        <translation>考核与证书</translation>
    </message>
    <message>
        <source>Record result…</source>
        <translation>登记考核结果…</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>考核结果</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>成绩</translation>
    </message>
    <message>
        <source>Exam date</source>
        <translation>考核日期</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>证书</translation>
    </message>
    <message>
        <source>Certificate no.</source>
        <translation>证书编号</translation>
    </message>
    <message>
        <source>Issued on</source>
        <translation>发证日期</translation>
    </message>
    <message>
        <source>Subsidy (yuan)</source>
        <translation>补贴（元）</translation>
    </message>
    <message>
        <source>Archive files</source>
        <translation>档案附件</translation>
    </message>
    <message>
        <source>Add photos, scans, audio or video…</source>
        <translation>添加照片、扫描件、音频或视频…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>检查结果</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Double-click a finding to open the record it is about.</source>
        <translation>双击一条检查结果，可打开它所涉及的记录。</translation>
    </message>
    <message>
        <source>Trade</source>
        <translation>职业（工种）</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Training type</source>
        <translation>培训类型</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>培训方式</translation>
    </message>
    <message>
        <source>Funding</source>
        <translation>资金来源</translation>
    </message>
    <message>
        <source>Dates</source>
        <translation>起止日期</translation>
    </message>
    <message>
        <source>Head teacher</source>
        <translation>班主任</translation>
    </message>
    <message>
        <source>Planned size</source>
        <translation>计划人数</translation>
    </message>
    <message>
        <source>Fee per trainee</source>
        <translation>每人培训费</translation>
    </message>
    <message>
        <source>Subsidy standard</source>
        <translation>补贴标准</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>报审时间</translation>
    </message>
    <message>
        <source>Approval</source>
        <translation>批复</translation>
    </message>
    <message>
        <source>Reason for rejection</source>
        <translation>不予批准的原因</translation>
    </message>
    <message>
        <source>:</source>
        <translation>：</translation>
    </message>
    <message>
        <source>%1 change(s) were made after the approval; the county must be told.</source>
        <translation>批准后有 %1 处改动，须报告县人社局。</translation>
    </message>
    <message>
        <source>%1 sessions · %2 periods · theory %3 · practice %4 (%5)</source>
        <translation>%1 个课次 · %2 课时 · 理论 %3 · 实操 %4（%5）</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>%1 enrolled, planned %2</source>
        <translation>已报名 %1 人，计划 %2 人</translation>
    </message>
    <message>
        <source>, venue seats %1</source>
        <translation>，场地座位 %1 个</translation>
    </message>
    <message>
        <source>The rules could not be checked; see the log.</source>
        <translation>无法完成规则检查，详见日志。</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>阻止</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>No findings: the class meets every rule checked.</source>
        <translation>没有问题：本班符合所检查的全部规则。</translation>
    </message>
    <message>
        <source>%1 finding(s), %2 of them block the next step.</source>
        <translation>共 %1 条检查结果，其中 %2 条会阻止下一步。</translation>
    </message>
    <message>
        <source>Not possible while the class is %1.</source>
        <translation>培训班处于“%1”状态，不能进行此操作。</translation>
    </message>
    <message>
        <source>Select a session in the timetable first.</source>
        <translation>请先在课程表中选择一个课次。</translation>
    </message>
    <message>
        <source>Remove this session from the timetable?</source>
        <translation>从课程表中移除这个课次吗？</translation>
    </message>
    <message>
        <source>Its %1 attendance mark(s) go with it.</source>
        <translation>该课次的 %1 条考勤记录将一并删除。</translation>
    </message>
    <message>
        <source>Remove session</source>
        <translation>移除课次</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>退学</translation>
    </message>
    <message>
        <source>Select a trainee in the table first.</source>
        <translation>请先在表格中选择一名学员。</translation>
    </message>
    <message>
        <source>Reason for withdrawing:</source>
        <translation>退学原因：</translation>
    </message>
    <message>
        <source>Enter the reason: the county&apos;s archive keeps it.</source>
        <translation>请填写原因：县里的档案会保留它。</translation>
    </message>
    <message>
        <source>%1: %2 row(s) read, %3 valid, %4 with errors, %5 warning(s).</source>
        <translation>%1：读取 %2 行，有效 %3 行，有错误 %4 行，提示 %5 条。</translation>
    </message>
    <message>
        <source>Imported: %1 (new trainees %2, already in the register %3).</source>
        <translation>已导入 %1 人（新学员 %2 人，学员库中已有 %3 人）。</translation>
    </message>
    <message>
        <source>Record result</source>
        <translation>登记考核结果</translation>
    </message>
    <message>
        <source>Add to the class archive</source>
        <translation>添加到班级档案</translation>
    </message>
    <message>
        <source>Photos, scans, audio and video (*.jpg *.jpeg *.png *.pdf *.mp3 *.m4a *.wav *.mp4 *.mov);;All files (*)</source>
        <translation>照片、扫描件、音频和视频 (*.jpg *.jpeg *.png *.pdf *.mp3 *.m4a *.wav *.mp4 *.mov);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Storing files…</source>
        <translation>正在保存文件…</translation>
    </message>
    <message>
        <source>Why is the application taken back?</source>
        <translation>为什么撤回申请？</translation>
    </message>
    <message>
        <source>Archive number (档案号), if any:</source>
        <translation>档案号（如有）：</translation>
    </message>
    <message>
        <source>Submitted with warnings</source>
        <translation>已报审（有提示）</translation>
    </message>
    <message>
        <source>The application was submitted. Please look at these warnings:</source>
        <translation>申请已报审。请留意以下提示：</translation>
    </message>
    <message>
        <source>Please wait</source>
        <translation>请稍候</translation>
    </message>
</context>
<context>
    <name>ClassDialog</name>
    <message>
        <source> (not in the approved scope)</source>
        <translation>（不在核准范围内）</translation>
    </message>
    <message>
        <source>Training class</source>
        <translation>培训班</translation>
    </message>
    <message>
        <source> training class</source>
        <translation>培训班</translation>
    </message>
    <message>
        <source>Class code</source>
        <translation>班级编号</translation>
    </message>
    <message>
        <source>Class name</source>
        <translation>班级名称</translation>
    </message>
    <message>
        <source>Trade</source>
        <translation>职业（工种）</translation>
    </message>
    <message>
        <source>Industry</source>
        <translation>产业</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Training type</source>
        <translation>培训类型</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>培训方式</translation>
    </message>
    <message>
        <source>Funding</source>
        <translation>资金来源</translation>
    </message>
    <message>
        <source>Start date</source>
        <translation>开班日期</translation>
    </message>
    <message>
        <source>End date</source>
        <translation>结业日期</translation>
    </message>
    <message>
        <source>Venue</source>
        <translation>场地</translation>
    </message>
    <message>
        <source>Head teacher</source>
        <translation>班主任</translation>
    </message>
    <message>
        <source>Planned size</source>
        <translation>计划人数</translation>
    </message>
    <message>
        <source>Fee per trainee</source>
        <translation>每人培训费</translation>
    </message>
    <message>
        <source> yuan</source>
        <translation> 元</translation>
    </message>
    <message>
        <source>Subsidy standard per trainee</source>
        <translation>每人补贴标准</translation>
    </message>
    <message>
        <source>Assessment plan</source>
        <translation>考核方案</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>ClassDocuments</name>
    <message>
        <source>&amp;Documents</source>
        <translation>文书(&amp;D)</translation>
    </message>
    <message>
        <source>Class-opening &amp;application with attachments…</source>
        <translation>开班申请表（含附件）(&amp;A)…</translation>
    </message>
    <message>
        <source>Sign-in sheet for one &amp;session…</source>
        <translation>一次课的签到表(&amp;S)…</translation>
    </message>
    <message>
        <source>Sign-in sheets for one &amp;day…</source>
        <translation>某一天的签到表(&amp;D)…</translation>
    </message>
    <message>
        <source>Class a&amp;rchive (一班一档)…</source>
        <translation>一班一档(&amp;R)…</translation>
    </message>
    <message>
        <source>Export the archive &amp;package…</source>
        <translation>导出档案移交包(&amp;P)…</translation>
    </message>
    <message>
        <source>%1 finding(s) must be put right before the county can approve the class; they are listed in part 4 of the application.</source>
        <translation>有 %1 项问题须整改，整改前县局不会批准开班；详见申请表“四、开班条件核查”。</translation>
    </message>
    <message>
        <source>Writing the application…</source>
        <translation>正在生成开班申请表…</translation>
    </message>
    <message>
        <source>Class-opening application %1</source>
        <translation>开班申请表 %1</translation>
    </message>
    <message>
        <source>Sign-in sheets</source>
        <translation>签到表</translation>
    </message>
    <message>
        <source>The class has no sessions yet. Build its timetable first (tab Timetable).</source>
        <translation>这个班还没有排课。请先在“课程安排”页排课。</translation>
    </message>
    <message>
        <source>Sign-in sheet</source>
        <translation>签到表</translation>
    </message>
    <message>
        <source>Which session?</source>
        <translation>哪一次课？</translation>
    </message>
    <message>
        <source>Writing the sign-in sheet…</source>
        <translation>正在生成签到表…</translation>
    </message>
    <message>
        <source>Sign-in sheet %1 %2</source>
        <translation>签到表 %1 %2</translation>
    </message>
    <message>
        <source>Sign-in sheets for which day?</source>
        <translation>打印哪一天的签到表？</translation>
    </message>
    <message>
        <source>Writing the sign-in sheets…</source>
        <translation>正在生成签到表…</translation>
    </message>
    <message>
        <source>Sign-in sheets %1 %2</source>
        <translation>签到表 %1 %2</translation>
    </message>
    <message>
        <source>Writing the class archive…</source>
        <translation>正在生成一班一档…</translation>
    </message>
    <message>
        <source>Class archive %1</source>
        <translation>一班一档 %1</translation>
    </message>
    <message>
        <source>Where should the archive package go? (a folder or a USB stick)</source>
        <translation>档案包保存到哪里？（文件夹或 U 盘）</translation>
    </message>
    <message>
        <source>Export the archive package</source>
        <translation>导出档案移交包</translation>
    </message>
    <message>
        <source>%1 already exists in this folder. Replace it?</source>
        <translation>此文件夹中已有 %1。要替换它吗？</translation>
    </message>
    <message>
        <source>Archive package exported</source>
        <translation>档案包已导出</translation>
    </message>
    <message>
        <source>The archive package of %1 was saved as
%2
(%3 KB). It holds the archive, the application, the sign-in sheets, every attachment and an index page (索引.html) with each file&apos;s SHA-256.</source>
        <translation>%1 的档案移交包已保存为
%2
（%3 KB）。包内有一班一档、开班申请表、签到表、全部附件，以及列出每个文件 SHA-256 的索引页（索引.html）。</translation>
    </message>
    <message>
        <source>Writing the archive package…</source>
        <translation>正在生成档案移交包…</translation>
    </message>
</context>
<context>
    <name>DecisionDialog</name>
    <message>
        <source>Approved</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>不予批准</translation>
    </message>
    <message>
        <source>Record the county&apos;s decision</source>
        <translation>登记县人社局批复</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>批复结果</translation>
    </message>
    <message>
        <source>Approval no.</source>
        <translation>批文号</translation>
    </message>
    <message>
        <source>Decided on</source>
        <translation>批复日期</translation>
    </message>
    <message>
        <source>Approving body</source>
        <translation>批复单位</translation>
    </message>
    <message>
        <source>Remarks or reason</source>
        <translation>备注或原因</translation>
    </message>
</context>
<context>
    <name>DocumentActions</name>
    <message>
        <source>Equipment report</source>
        <translation>设备投入报告</translation>
    </message>
    <message>
        <source>Equipment spend report for the year:</source>
        <translation>生成哪一年的设备投入报告：</translation>
    </message>
    <message>
        <source>Writing the equipment report…</source>
        <translation>正在生成设备投入报告…</translation>
    </message>
    <message>
        <source>Equipment report %1</source>
        <translation>%1 年设备投入报告</translation>
    </message>
    <message>
        <source>Equipment report…</source>
        <translation>设备投入报告…</translation>
    </message>
    <message>
        <source>The yearly report of equipment bought, renewed and repaired, with its share of the surplus</source>
        <translation>年度设备购置、更新、维修投入报告，及其占收支结余的比例</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <source>Batch exported</source>
        <translation>批次已导出</translation>
    </message>
    <message>
        <source>Batch No. %1 (%2) was saved.</source>
        <translation>第 %1 批（%2）已保存。</translation>
    </message>
    <message>
        <source>Sequence number</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Key fingerprint</source>
        <translation>密钥指纹</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <source> (deleted %1)</source>
        <translation>（删除 %1）</translation>
    </message>
    <message>
        <source>Documents and attachments</source>
        <translation>文书 / 附件</translation>
    </message>
    <message>
        <source>Reading the batch back failed: %1</source>
        <translation>读回批次校验失败：%1</translation>
    </message>
    <message>
        <source>The batch was read back and verified as the county will verify it. Register the key fingerprint above with the county once; it is the same for every batch.</source>
        <translation>已按县局的方式读回并校验了这个批次。请把上面的密钥指纹在县局登记一次；每个批次的指纹都相同。</translation>
    </message>
</context>
<context>
    <name>EquipmentDialog</name>
    <message>
        <source>Equipment</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Asset no.</source>
        <translation>资产编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Venue</source>
        <translation>场地</translation>
    </message>
    <message>
        <source>Acquired on</source>
        <translation>购置日期</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source> yuan</source>
        <translation> 元</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>FilePage</name>
    <message>
        <source>Choose the roster file</source>
        <translation>选择花名册文件</translation>
    </message>
    <message>
        <source>An Excel workbook (.xlsx) or a CSV file with one trainee a row. Title rows, instruction sheets and other column names are recognised. Nothing is written until the last step.</source>
        <translation>Excel 工作簿（.xlsx）或 CSV 文件，每行一名学员。标题行、填表说明工作表和不同的列名都能识别。最后一步之前不会写入任何数据。</translation>
    </message>
    <message>
        <source>Reading the roster…</source>
        <translation>正在读取花名册…</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>A legacy .xls file must first be saved as .xlsx in Excel or WPS. ID numbers must be in a column formatted as text.</source>
        <translation>旧版 .xls 文件请先在 Excel 或 WPS 中另存为 .xlsx。身份证号所在列必须设置为“文本”格式。</translation>
    </message>
    <message>
        <source>Import a roster</source>
        <translation>导入花名册</translation>
    </message>
    <message>
        <source>Workbooks (*.xlsx *.xlsm *.csv);;All files (*)</source>
        <translation>工作簿 (*.xlsx *.xlsm *.csv);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source> yuan</source>
        <translation> 元</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>An import, export or backup is still running. Save again when it has finished; nothing you typed is lost.</source>
        <translation>导入、导出或备份仍在进行中。请等它完成后再保存；已填写的内容不会丢失。</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>有未保存的修改</translation>
    </message>
    <message>
        <source>You have changed this form without saving. Close it and discard the changes?</source>
        <translation>表单已修改但尚未保存。关闭并放弃这些修改吗？</translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message>
        <source>Import report</source>
        <translation>导入报告</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Needed only to change marks already recorded (补录)</source>
        <translation>只有改动已记录的考勤（补录）时需要</translation>
    </message>
    <message>
        <source>Reason for the corrections:</source>
        <translation>补录原因：</translation>
    </message>
    <message>
        <source>Check again with this reason</source>
        <translation>按此原因重新检查</translation>
    </message>
    <message>
        <source>Nothing has been written yet. “Import now” records %1 mark(s).</source>
        <translation>尚未写入任何数据。点“确认导入”将记录 %1 条考勤。</translation>
    </message>
    <message>
        <source>There is nothing to record from this file.</source>
        <translation>这个文件中没有需要记录的考勤。</translation>
    </message>
    <message>
        <source>Rows with errors are left out.</source>
        <translation>有错误的行不导入。</translation>
    </message>
    <message>
        <source>Import now</source>
        <translation>确认导入</translation>
    </message>
</context>
<context>
    <name>InstitutionDialog</name>
    <message>
        <source>Institution profile</source>
        <translation>机构概况</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>School licence no.</source>
        <translation>办学许可证号</translation>
    </message>
    <message>
        <source>County</source>
        <translation>所在县（市、区）</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Contact phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Designated from</source>
        <translation>定点起始日期</translation>
    </message>
    <message>
        <source>Designated until</source>
        <translation>定点截止日期</translation>
    </message>
    <message>
        <source>Equipment share of surplus (%)</source>
        <translation>结余投入设备比例（%）</translation>
    </message>
    <message>
        <source>Approved trades</source>
        <translation>核准的职业（工种）</translation>
    </message>
</context>
<context>
    <name>IssueModel</name>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>What to fix</source>
        <translation>修改方法</translation>
    </message>
    <message>
        <source>Value in the file</source>
        <translation>文件中的值</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>提示</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Zunyi Training School Register</source>
        <translation>遵义民办职业培训学校管理台账</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>培训班</translation>
    </message>
    <message>
        <source>Trainees</source>
        <translation>学员</translation>
    </message>
    <message>
        <source>Teachers</source>
        <translation>师资</translation>
    </message>
    <message>
        <source>Venues and equipment</source>
        <translation>场地与设备</translation>
    </message>
    <message>
        <source>Submission</source>
        <translation>数据报送</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Save a backup</source>
        <translation>备份(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Print the list…</source>
        <translation>打印列表(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Export the list to Excel…</source>
        <translation>导出列表到 Excel(&amp;E)…</translation>
    </message>
    <message>
        <source>E&amp;xit</source>
        <translation>退出(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Open the selected record</source>
        <translation>打开所选记录(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Register: %1</source>
        <translation>登记册：%1</translation>
    </message>
    <message>
        <source>Last backup: %1</source>
        <translation>最近备份：%1</translation>
    </message>
    <message>
        <source>Last backup: none yet</source>
        <translation>最近备份：尚无</translation>
    </message>
    <message>
        <source>Batches: last No. %1, %2 not acknowledged</source>
        <translation>报送批次：最近第 %1 批，%2 批待县局确认</translation>
    </message>
    <message>
        <source>Batches: none exported yet</source>
        <translation>报送批次：尚未导出</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Open one of the registers first (classes, trainees, teachers …).</source>
        <translation>请先打开一个台账（培训班、学员、师资……）。</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>Zunyi Training School Register %1
The offline register of a private vocational training school.</source>
        <translation>遵义民办职业培训学校管理台账 %1
民办职业培训学校的离线管理台账。</translation>
    </message>
    <message>
        <source>The register is damaged: close the program and restore a backup</source>
        <translation>登记册已损坏：请关闭程序并恢复备份</translation>
    </message>
    <message>
        <source>Enter nothing more for now. Close the program now? When it starts again it offers to restore the newest good backup.</source>
        <translation>请暂时不要再录入数据。现在关闭程序吗？再次启动时，程序会提供从最新的完好备份恢复。</translation>
    </message>
    <message>
        <source>Register damaged</source>
        <translation>登记册已损坏</translation>
    </message>
    <message>
        <source>Work in progress</source>
        <translation>任务进行中</translation>
    </message>
    <message>
        <source>A task is still running. Wait for it to finish before closing?</source>
        <translation>还有任务在运行。等它完成后再关闭吗？</translation>
    </message>
</context>
<context>
    <name>MappingPage</name>
    <message>
        <source>What was found in the file</source>
        <translation>在文件中找到的内容</translation>
    </message>
    <message>
        <source>Check the sheet, the header row and which column holds what; correct any drop-down that is wrong.</source>
        <translation>请核对工作表、表头行以及每一列的含义；如有不对，请在下拉框中改正。</translation>
    </message>
    <message>
        <source>Checking the roster…</source>
        <translation>正在检查花名册…</translation>
    </message>
    <message>
        <source>Sheet:</source>
        <translation>工作表：</translation>
    </message>
    <message>
        <source>Header row:</source>
        <translation>表头行：</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>列的对应</translation>
    </message>
    <message>
        <source>The first rows under the header:</source>
        <translation>表头下的前几行：</translation>
    </message>
    <message>
        <source> (hidden)</source>
        <translation>（隐藏）</translation>
    </message>
    <message>
        <source>(not imported)</source>
        <translation>（不导入）</translation>
    </message>
</context>
<context>
    <name>OptionsPage</name>
    <message>
        <source>Export a batch for the county</source>
        <translation>导出报送县局的批次</translation>
    </message>
    <message>
        <source>A batch is one signed file with the records created, changed or deleted since the last batch (incremental), or with everything (full). Carry it to the county on a USB stick.</source>
        <translation>批次是一个带签名的文件，包含自上一批次以来新增、修改或删除的记录（增量），或全部记录（全量）。请用 U 盘送交县局。</translation>
    </message>
    <message>
        <source>Exporting the batch…</source>
        <translation>正在导出批次…</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>Kind of batch</source>
        <translation>批次类型</translation>
    </message>
    <message>
        <source>Incremental: only what changed since the last batch</source>
        <translation>增量：只含上一批次以来的变化</translation>
    </message>
    <message>
        <source>Full: everything in the register</source>
        <translation>全量：登记册中的全部内容</translation>
    </message>
    <message>
        <source>Include the class documents (PDF)</source>
        <translation>包含培训班文书（PDF）</translation>
    </message>
    <message>
        <source>Save to (a folder or a USB stick):</source>
        <translation>保存到（文件夹或 U 盘）：</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Where to save the batch (a USB stick)</source>
        <translation>批次保存到哪里（U 盘）</translation>
    </message>
    <message>
        <source>No batch has been exported yet: the first batch is always full.</source>
        <translation>尚未导出过批次：第一个批次总是全量。</translation>
    </message>
    <message>
        <source>Last batch: No. %1 of %2 (%3). Changes recorded since then: %4.</source>
        <translation>上一批次：第 %1 批，%2（%3）。此后记录的变化：%4 条。</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <source>Trainees trained this year</source>
        <translation>本年培训学员</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>培训班</translation>
    </message>
    <message>
        <source>Sessions in the next 7 days</source>
        <translation>未来 7 天的课次</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Compute the figures again (F5)</source>
        <translation>重新计算各项数字（F5）</translation>
    </message>
    <message>
        <source>Average attendance this year</source>
        <translation>本年平均出勤率</translation>
    </message>
    <message>
        <source>Subsidy due this year</source>
        <translation>本年应得补贴</translation>
    </message>
    <message>
        <source>Trainees by industry against the plan&apos;s 2023–2025 targets</source>
        <translation>各产业培训人次 对照《技能遵义》2023–2025 年目标</translation>
    </message>
    <message>
        <source>Attendance over the last 8 weeks</source>
        <translation>近 8 周出勤率</translation>
    </message>
    <message>
        <source>Concerns</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Double-click or press Enter to open the record</source>
        <translation>双击或按回车键打开相关记录</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>培训班</translation>
    </message>
    <message>
        <source>Teacher</source>
        <translation>教师</translation>
    </message>
    <message>
        <source>Venue</source>
        <translation>场地</translation>
    </message>
    <message>
        <source>Checking what needs attention…</source>
        <translation>正在检查需要留意的事项…</translation>
    </message>
    <message>
        <source>in classes running or ended in %1; %2 trainees in the register</source>
        <translation>%1 年在训或已结业班级的学员；登记册共有学员 %2 人</translation>
    </message>
    <message>
        <source>%1 of %2 periods attended (by hours)</source>
        <translation>应到 %2 课时，实到 %1 课时（按课时计）</translation>
    </message>
    <message>
        <source>yuan for %1 eligible trainees in %2 completed subsidised classes</source>
        <translation>元：%2 个已结业补贴班中符合条件的学员 %1 人</translation>
    </message>
    <message>
        <source>2023–2025 (plan period)</source>
        <translation>2023–2025 年（计划期内）</translation>
    </message>
    <message>
        <source>From 2026</source>
        <translation>2026 年起</translation>
    </message>
    <message>
        <source>Other industries</source>
        <translation>其他产业</translation>
    </message>
    <message>
        <source>%1 (target %2, %3)</source>
        <translation>%1（目标 %2，完成 %3）</translation>
    </message>
    <message>
        <source>The school&apos;s contribution: %1 trainee places in 2023–2025, %2 of the city&apos;s target of %3; %4 since 2026. Counted: trainees not withdrawn from classes that took place.</source>
        <translation>本校贡献：2023–2025 年培训 %1 人次，占全市目标 %3 人次的 %2；2026 年起 %4 人次。统计口径：已开班班级中未退学的学员人次。</translation>
    </message>
    <message>
        <source>Attendance %</source>
        <translation>出勤率 %</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>阻止</translation>
    </message>
    <message>
        <source>Not approved</source>
        <translation>未获批</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>证书</translation>
    </message>
    <message>
        <source>Attendance low</source>
        <translation>出勤不足</translation>
    </message>
    <message>
        <source>Reporting</source>
        <translation>数据报送</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>需要留意</translation>
    </message>
    <message>
        <source>What</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>The figures are computed when this page is first shown.</source>
        <translation>首次打开本页时计算各项数字。</translation>
    </message>
    <message>
        <source>Computing the figures…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>As of %1</source>
        <translation>更新于 %1</translation>
    </message>
    <message>
        <source>No institution yet: fill in the institution profile under Settings.</source>
        <translation>尚无机构信息：请在“设置”中填写机构概况。</translation>
    </message>
</context>
<context>
    <name>PdfPreview</name>
    <message>
        <source>Preview: %1</source>
        <translation>预览：%1</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>First</source>
        <translation>首页</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一页</translation>
    </message>
    <message>
        <source>of %1</source>
        <translation>/ 共 %1 页</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一页</translation>
    </message>
    <message>
        <source>Last</source>
        <translation>末页</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <source>Whole page</source>
        <translation>整页显示</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>%1 page(s), %2 KB</source>
        <translation>共 %1 页，%2 KB</translation>
    </message>
    <message>
        <source>Save the document as</source>
        <translation>另存为</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>已保存到 %1</translation>
    </message>
    <message>
        <source>Sent %1 page(s) to the printer.</source>
        <translation>已向打印机发送 %1 页。</translation>
    </message>
    <message>
        <source>Printing was cancelled; nothing was sent to the printer.</source>
        <translation>打印已取消，没有发送到打印机。</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
</context>
<context>
    <name>RegisterPage</name>
    <message>
        <source>Search (all visible columns)…</source>
        <translation>搜索（所有显示的列）…</translation>
    </message>
    <message>
        <source>:</source>
        <translation>：</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>显示列</translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation>导出 Excel</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>%1 records</source>
        <translation>共 %1 条</translation>
    </message>
    <message>
        <source>%1 of %2 records</source>
        <translation>%1 条（共 %2 条）</translation>
    </message>
    <message>
        <source>Select a row in the table first.</source>
        <translation>请先在表格中选择一行。</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>%1 rows exported to %2</source>
        <translation>已导出 %1 行到 %2</translation>
    </message>
    <message>
        <source>Exporting to Excel…</source>
        <translation>正在导出到 Excel…</translation>
    </message>
</context>
<context>
    <name>ReportPage</name>
    <message>
        <source>Validation report</source>
        <translation>校验报告</translation>
    </message>
    <message>
        <source>Every problem found, row by row. Nothing has been written yet.</source>
        <translation>逐行列出发现的所有问题。目前尚未写入任何数据。</translation>
    </message>
    <message>
        <source>Importing the roster…</source>
        <translation>正在导入花名册…</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>Export the report…</source>
        <translation>导出报告…</translation>
    </message>
    <message>
        <source>What to import</source>
        <translation>导入哪些行</translation>
    </message>
    <message>
        <source>Import all rows</source>
        <translation>导入全部行</translation>
    </message>
    <message>
        <source>Import only the valid rows; leave out the rows with errors</source>
        <translation>只导入有效行，跳过有错误的行</translation>
    </message>
    <message>
        <source>%1 row(s) read: %2 valid, %3 with errors, %4 blank or footer row(s) skipped, %5 warning(s).</source>
        <translation>读取 %1 行：有效 %2 行，有错误 %3 行，跳过空行/合计行 %4 行，提示 %5 条。</translation>
    </message>
    <message>
        <source>An import will add %1 new trainee(s) and enrol %2 already in the register; %3 are already in this class.</source>
        <translation>导入将新增学员 %1 人，关联登记册中已有学员 %2 人；已在本班 %3 人。</translation>
    </message>
    <message>
        <source>There is nothing to import. Correct the file and choose it again.</source>
        <translation>没有可导入的行。请修改文件后重新选择。</translation>
    </message>
    <message>
        <source>Import all rows (not possible: %1 row(s) have errors)</source>
        <translation>导入全部行（不可行：有 %1 行有错误）</translation>
    </message>
    <message>
        <source>Import only the %1 valid row(s); leave out the %2 row(s) with errors</source>
        <translation>只导入 %1 个有效行，跳过 %2 个有错误的行</translation>
    </message>
    <message>
        <source>report</source>
        <translation>报告</translation>
    </message>
    <message>
        <source>Export the report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV，UTF-8 (*.csv)</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <source>Report saved to %1</source>
        <translation>报告已保存到 %1</translation>
    </message>
    <message>
        <source>Saving the report…</source>
        <translation>正在保存报告…</translation>
    </message>
</context>
<context>
    <name>ResultDialog</name>
    <message>
        <source>Assessment and certificate</source>
        <translation>考核与证书</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>考核结果</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>成绩</translation>
    </message>
    <message>
        <source>Exam date</source>
        <translation>考核日期</translation>
    </message>
    <message>
        <source>Certificate type</source>
        <translation>证书类型</translation>
    </message>
    <message>
        <source>Certificate no.</source>
        <translation>证书编号</translation>
    </message>
    <message>
        <source>Issued on</source>
        <translation>发证日期</translation>
    </message>
</context>
<context>
    <name>ReturnFilePage</name>
    <message>
        <source>Choose the county&apos;s return file</source>
        <translation>选择县局的回执文件</translation>
    </message>
    <message>
        <source>The county&apos;s answer to the school (a .json file): its decisions on the classes submitted and its acknowledgement of the batches received. It is checked first; nothing changes until you apply it.</source>
        <translation>县局给学校的回复（.json 文件）：对已报送培训班的批复，以及对已收到批次的确认。先检查文件；点“应用”之前不会改变任何数据。</translation>
    </message>
    <message>
        <source>Checking the return file…</source>
        <translation>正在检查回执文件…</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Import a county return</source>
        <translation>导入县局回执</translation>
    </message>
    <message>
        <source>County return (*.json);;All files (*)</source>
        <translation>县局回执 (*.json);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>ReturnImportWizard</name>
    <message>
        <source>Import a county return</source>
        <translation>导入县局回执</translation>
    </message>
</context>
<context>
    <name>RosterImportWizard</name>
    <message>
        <source>Import a roster</source>
        <translation>导入花名册</translation>
    </message>
</context>
<context>
    <name>SessionDialog</name>
    <message>
        <source>Session</source>
        <translation>课次</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Starts</source>
        <translation>开班日期</translation>
    </message>
    <message>
        <source>Ends</source>
        <translation>结业日期</translation>
    </message>
    <message>
        <source>Periods</source>
        <translation>课时</translation>
    </message>
    <message>
        <source>Theory or practice</source>
        <translation>理论或实操</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Teacher</source>
        <translation>教师</translation>
    </message>
    <message>
        <source>Venue</source>
        <translation>场地</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Edit institution profile…</source>
        <translation>编辑机构概况…</translation>
    </message>
    <message>
        <source>Institution profile</source>
        <translation>机构信息</translation>
    </message>
    <message>
        <source>The profile is printed on every application and archive and carried in every batch. The credit code is checked when it is saved, and every change is recorded in the audit trail.</source>
        <translation>机构信息会印在每份开班申请和档案上，并随每批数据报送。保存时校验统一社会信用代码，每次修改都记入审计记录。</translation>
    </message>
    <message>
        <source>A class&apos;s timetable must reach this many periods for its level.</source>
        <translation>培训班课程表按等级至少应达到的课时数。</translation>
    </message>
    <message>
        <source>Share of a class&apos;s periods that must be practice.</source>
        <translation>培训班课时中实操课时的最低占比。</translation>
    </message>
    <message>
        <source>How long one period (课时) lasts; sessions are counted in periods.</source>
        <translation>每个课时的分钟数；课次按课时计算。</translation>
    </message>
    <message>
        <source>A trainee below this attendance (by hours) gets no subsidy.</source>
        <translation>学员出勤率（按课时计）低于此值不能享受补贴。</translation>
    </message>
    <message>
        <source>Signing in later than this after the start counts as late.</source>
        <translation>开课后超过此分钟数签到记为迟到。</translation>
    </message>
    <message>
        <source>Signing out earlier than this before the end counts as leaving early.</source>
        <translation>下课前早于此分钟数签退记为早退。</translation>
    </message>
    <message>
        <source>Missing more than this of a session in all counts as absent.</source>
        <translation>一个课次累计缺席超过此分钟数记为旷课。</translation>
    </message>
    <message>
        <source>Certificates expiring within this many days are flagged.</source>
        <translation>证书在此天数内到期时提醒。</translation>
    </message>
    <message>
        <source>The application should reach the county this many days before the start.</source>
        <translation>开班申请应在开班前至少提前此天数报送县局。</translation>
    </message>
    <message>
        <source>This many trainees on one phone number are flagged as suspicious.</source>
        <translation>同一手机号登记的学员达到此数时提醒核查。</translation>
    </message>
    <message>
        <source>Full-time teachers&apos; share of the school&apos;s active teachers.</source>
        <translation>专职教师在本校在职教师中的最低占比。</translation>
    </message>
    <message>
        <source>A part-time teacher may work at no more institutions than this in a year.</source>
        <translation>兼职教师一年内任职的培训机构不得超过此数。</translation>
    </message>
    <message>
        <source>Trainees younger than this are refused.</source>
        <translation>未满此年龄的学员不予登记。</translation>
    </message>
    <message>
        <source>Trainees older than this are refused.</source>
        <translation>超过此年龄的学员不予登记。</translation>
    </message>
    <message>
        <source>Default: %1</source>
        <translation>默认：%1</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置项</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认值</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation>作用</translation>
    </message>
    <message>
        <source>Save the rule settings</source>
        <translation>保存规则设置</translation>
    </message>
    <message>
        <source>Restore defaults</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <source>Undo changes</source>
        <translation>撤销修改</translation>
    </message>
    <message>
        <source>Rule settings</source>
        <translation>规则设置</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>文书</translation>
    </message>
    <message>
        <source>Body font of the documents:</source>
        <translation>文书正文字体：</translation>
    </message>
    <message>
        <source>Headings use the built-in font. A TrueType SimSun or FangSong (.ttf/.ttc) can be chosen for the body; it is embedded in every PDF, so the documents print the same everywhere.</source>
        <translation>标题使用程序自带字体。正文可选用 TrueType 格式（.ttf/.ttc）的宋体或仿宋，字体会嵌入每份 PDF，在任何电脑上打印效果一致。</translation>
    </message>
    <message>
        <source>Language and data</source>
        <translation>语言与数据</translation>
    </message>
    <message>
        <source>Language (applied at the next start):</source>
        <translation>界面语言（下次启动时生效）：</translation>
    </message>
    <message>
        <source>Register:</source>
        <translation>登记册：</translation>
    </message>
    <message>
        <source>Data folder:</source>
        <translation>数据目录：</translation>
    </message>
    <message>
        <source>Log file:</source>
        <translation>日志文件：</translation>
    </message>
    <message>
        <source>Documents and language</source>
        <translation>文书与语言</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>The rule settings were saved. The checks use them from now on.</source>
        <translation>规则设置已保存，此后的检查按新设置进行。</translation>
    </message>
    <message>
        <source>Set every rule setting back to its default and save?</source>
        <translation>把所有规则设置恢复为默认值并保存？</translation>
    </message>
    <message>
        <source>Built-in (WenQuanYi Micro Hei)</source>
        <translation>程序自带（文泉驿微米黑）</translation>
    </message>
    <message>
        <source>Another font file…</source>
        <translation>其他字体文件…</translation>
    </message>
    <message>
        <source>Choose a font file</source>
        <translation>选择字体文件</translation>
    </message>
    <message>
        <source>TrueType fonts (*.ttf *.ttc)</source>
        <translation>TrueType 字体 (*.ttf *.ttc)</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>No institution profile yet.</source>
        <translation>尚未填写机构概况。</translation>
    </message>
    <message>
        <source>:</source>
        <translation>：</translation>
    </message>
    <message>
        <source>Credit code</source>
        <translation>信用代码</translation>
    </message>
    <message>
        <source>School licence no.</source>
        <translation>办学许可证号</translation>
    </message>
    <message>
        <source>Approved trades</source>
        <translation>核准的职业（工种）</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>The language will change the next time the program starts.</source>
        <translation>界面语言将在下次启动程序时切换。</translation>
    </message>
</context>
<context>
    <name>SpendDialog</name>
    <message>
        <source>%1 (to be attached)</source>
        <translation>%1（待保存）</translation>
    </message>
    <message>
        <source>Attach invoice or photo</source>
        <translation>添加发票或照片</translation>
    </message>
    <message>
        <source>Invoices and photos (*.pdf *.jpg *.jpeg *.png *.ofd);;All files (*)</source>
        <translation>发票和照片 (*.pdf *.jpg *.jpeg *.png *.ofd);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Equipment spend</source>
        <translation>设备投入</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source> yuan</source>
        <translation> 元</translation>
    </message>
    <message>
        <source>Equipment</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>用途说明</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>Invoice no.</source>
        <translation>发票号</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Invoice or photos</source>
        <translation>发票或照片</translation>
    </message>
    <message>
        <source>Attach a file…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
</context>
<context>
    <name>SubmissionPage</name>
    <message>
        <source>Export a batch…</source>
        <translation>导出报送批次…</translation>
    </message>
    <message>
        <source>Import a county return…</source>
        <translation>导入县局回执…</translation>
    </message>
    <message>
        <source>Copy the selected batch again…</source>
        <translation>重新拷贝所选批次…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Classes waiting for the county&apos;s decision</source>
        <translation>等待县人社局批复的培训班</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>培训班</translation>
    </message>
    <message>
        <source>Starts</source>
        <translation>开班日期</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>报审时间</translation>
    </message>
    <message>
        <source>Export batches</source>
        <translation>导出批次</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>导出时间</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>确认时间</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <source>County return files imported</source>
        <translation>已导入的县局回执</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>导入时间</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>签发时间</translation>
    </message>
    <message>
        <source>What it changed</source>
        <translation>变更内容</translation>
    </message>
    <message>
        <source>Last batch: No. %1, %2, %3.</source>
        <translation>最近批次：第 %1 批，%2，%3。</translation>
    </message>
    <message>
        <source>No batch has been exported yet.</source>
        <translation>尚未导出任何批次。</translation>
    </message>
    <message>
        <source>%1 batch(es) not yet acknowledged by the county; %2 class(es) waiting for a decision.</source>
        <translation>%1 批尚待县局确认；%2 个培训班等待批复。</translation>
    </message>
    <message>
        <source>%1: approved</source>
        <translation>%1：批准</translation>
    </message>
    <message>
        <source>%1: not approved</source>
        <translation>%1：不予批准</translation>
    </message>
    <message>
        <source>The county acknowledges receiving batch(es) No. %1.</source>
        <translation>县局确认已收到第 %1 批。</translation>
    </message>
    <message>
        <source>Nothing changed</source>
        <translation>没有改变</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>培训班</translation>
    </message>
    <message>
        <source>Trainees</source>
        <translation>学员</translation>
    </message>
    <message>
        <source>Enrolments</source>
        <translation>报名</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>课次</translation>
    </message>
    <message>
        <source>Attendance</source>
        <translation>考勤</translation>
    </message>
    <message>
        <source>Teachers</source>
        <translation>师资</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Venues</source>
        <translation>场地</translation>
    </message>
    <message>
        <source>Equipment</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Equipment spend</source>
        <translation>设备投入</translation>
    </message>
    <message>
        <source> (deleted %1)</source>
        <translation>（删除 %1）</translation>
    </message>
    <message>
        <source>Copy a batch again</source>
        <translation>重新拷贝批次</translation>
    </message>
    <message>
        <source>Select a batch in the table first.</source>
        <translation>请先在表格中选择一个批次。</translation>
    </message>
    <message>
        <source>Where to save the batch (a USB stick)</source>
        <translation>批次保存位置（U 盘）</translation>
    </message>
    <message>
        <source>Batch No. %1 was copied to
%2</source>
        <translation>第 %1 批已拷贝到
%2</translation>
    </message>
    <message>
        <source>Copying the batch…</source>
        <translation>正在拷贝批次…</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>Roster imported</source>
        <translation>花名册已导入</translation>
    </message>
    <message>
        <source>Imported into the class</source>
        <translation>导入本班</translation>
    </message>
    <message>
        <source>New trainees added to the register</source>
        <translation>新增到登记册的学员</translation>
    </message>
    <message>
        <source>Linked to trainees already in the register</source>
        <translation>关联登记册中已有的学员</translation>
    </message>
    <message>
        <source>Already in this class (not imported again)</source>
        <translation>已在本班（不重复导入）</translation>
    </message>
    <message>
        <source>Rows with errors left out</source>
        <translation>跳过的有错误的行</translation>
    </message>
    <message>
        <source>Blank and footer rows skipped</source>
        <translation>跳过的空行和合计行</translation>
    </message>
    <message>
        <source>A backup was taken before the import: %1</source>
        <translation>导入前已备份：%1</translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <source>Cancel</source>
        <extracomment>At most one progress signal per this many seconds reaches the UI thread: a task that reports every row of a 20,000-row import would otherwise flood the event loop.</extracomment>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>TeacherDialog</name>
    <message>
        <source>Teacher</source>
        <translation>教师</translation>
    </message>
    <message>
        <source>Basic information</source>
        <translation>基本信息</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Employment</source>
        <translation>用工形式</translation>
    </message>
    <message>
        <source>Education</source>
        <translation>文化程度</translation>
    </message>
    <message>
        <source>Professional title</source>
        <translation>职称</translation>
    </message>
    <message>
        <source>Specialty</source>
        <translation>专业特长</translation>
    </message>
    <message>
        <source>Hired on</source>
        <translation>聘用日期</translation>
    </message>
    <message>
        <source>Left on</source>
        <translation>离职日期</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Qualifications</source>
        <translation>资格证书</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Trade</source>
        <translation>职业（工种）</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Issuer</source>
        <translation>发证机关</translation>
    </message>
    <message>
        <source>Issued on</source>
        <translation>发证日期</translation>
    </message>
    <message>
        <source>Expires on</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Other institutions</source>
        <translation>兼职机构</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Credit code</source>
        <translation>信用代码</translation>
    </message>
    <message>
        <source>Teacher training</source>
        <translation>教师培训</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Organizer</source>
        <translation>主办单位</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>学时</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
</context>
<context>
    <name>TimetablePatternDialog</name>
    <message>
        <source>Build the timetable</source>
        <translation>排课</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>从：</translation>
    </message>
    <message>
        <source>Until:</source>
        <translation>到：</translation>
    </message>
    <message>
        <source>Weekdays:</source>
        <translation>星期：</translation>
    </message>
    <message>
        <source>Slots:</source>
        <translation>时段：</translation>
    </message>
    <message>
        <source>Theory or practice:</source>
        <translation>理论或实操：</translation>
    </message>
    <message>
        <source>Teacher:</source>
        <translation>教师：</translation>
    </message>
    <message>
        <source>Venue:</source>
        <translation>场地：</translation>
    </message>
    <message>
        <source>Stop after periods:</source>
        <translation>课时上限：</translation>
    </message>
    <message>
        <source>Topic:</source>
        <translation>内容：</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Periods</source>
        <translation>课时</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Generate sessions</source>
        <translation>生成课次</translation>
    </message>
    <message>
        <source>%1 sessions, %2 periods (theory %3, practice %4)</source>
        <translation>%1 个课次，%2 课时（理论 %3，实操 %4）</translation>
    </message>
</context>
<context>
    <name>TraineeDialog</name>
    <message>
        <source>withdrawn</source>
        <translation>已退学</translation>
    </message>
    <message>
        <source>Classes:</source>
        <translation>参加的培训班：</translation>
    </message>
    <message>
        <source>%1 of 18 characters</source>
        <translation>已输入 %1 位，共 18 位</translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation>学员</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Education</source>
        <translation>文化程度</translation>
    </message>
    <message>
        <source>Key group</source>
        <translation>重点群体</translation>
    </message>
    <message>
        <source>Household address</source>
        <translation>户籍地址</translation>
    </message>
    <message>
        <source>Current address</source>
        <translation>现住址</translation>
    </message>
    <message>
        <source>Employer</source>
        <translation>工作单位</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
</context>
<context>
    <name>TraineePicker</name>
    <message>
        <source>Enrol trainees</source>
        <translation>报名学员</translation>
    </message>
    <message>
        <source>Name, ID number or phone…</source>
        <translation>姓名、身份证号或电话…</translation>
    </message>
</context>
<context>
    <name>VenueDialog</name>
    <message>
        <source>Venue</source>
        <translation>场地</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Area (m²)</source>
        <translation>面积（平方米）</translation>
    </message>
    <message>
        <source>Seats</source>
        <translation>座位数</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>在用</translation>
    </message>
    <message>
        <source>Available for classes</source>
        <translation>可用于开班</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
</context>
</TS>
