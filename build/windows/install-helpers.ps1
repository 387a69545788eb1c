# Bosun's machine-wide install steps on Windows, called by the NSIS installer (build/windows/installer.nsh)
# as SYSTEM or an elevated administrator.
#   -Action Install   -BinDir <dir> [-AllowedOrgs "a;b"]   put BinDir (docker-credential-bosun.exe, bosun.exe) on the
#                                                          machine PATH; write registry.json
#   -Action Uninstall -BinDir <dir>                        take BinDir off the machine PATH
# registry.json is Docker Desktop's: C:\ProgramData\DockerDesktop\registry.json, owned by
# Administrators, writable only by Administrators and SYSTEM, readable by users.
param(
  [Parameter(Mandatory = $true)][ValidateSet('Install', 'Uninstall')][string]$Action,
  [Parameter(Mandatory = $true)][string]$BinDir,
  [string]$AllowedOrgs = ''
)
$ErrorActionPreference = 'Stop'
$envKey = 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment'

function Set-MachinePath([scriptblock]$change) {
  # Read and write the raw REG_EXPAND_SZ value: [Environment]::SetEnvironmentVariable would expand
  # %SystemRoot% and friends into fixed paths for every entry.
  $key = [Microsoft.Win32.Registry]::LocalMachine.OpenSubKey($envKey, $true)
  try {
    $raw = [string]$key.GetValue('Path', '', [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
    $entries = @($raw -split ';' | Where-Object { $_ -ne '' })
    $new = (& $change $entries) -join ';'
    if ($new -ne $raw) { $key.SetValue('Path', $new, [Microsoft.Win32.RegistryValueKind]::ExpandString) }
  } finally { $key.Close() }
  # Tell running programs (Explorer, new terminals) that the environment changed.
  Add-Type -Namespace Bosun -Name Native -MemberDefinition '[DllImport("user32.dll", CharSet = CharSet.Unicode)] public static extern System.IntPtr SendMessageTimeout(System.IntPtr hWnd, uint Msg, System.UIntPtr wParam, string lParam, uint fuFlags, uint uTimeout, out System.UIntPtr lpdwResult);'
  $result = [UIntPtr]::Zero
  [void][Bosun.Native]::SendMessageTimeout([IntPtr]0xffff, 0x1A, [UIntPtr]::Zero, 'Environment', 2, 5000, [ref]$result)
}

function Write-RegistryJson([string]$orgs) {
  # Same normalization and namespace grammar as the agent (src/core/names/orgName.ts).
  $names = New-Object System.Collections.Generic.List[string]
  foreach ($part in ($orgs -split '[;,\r\n]')) {
    $name = $part.Trim().ToLowerInvariant()
    if ($name -eq '') { continue }
    if ($name -cnotmatch '^[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*$') {
      throw "Allowed org ""$name"" is not a valid organization name (lowercase letters, digits, and . _ __ - between them); registry.json was not written."
    }
    if (-not $names.Contains($name)) { $names.Add($name) }
  }
  if ($names.Count -eq 0) { throw "No organization in ""$orgs""; registry.json was not written." }
  $dir = Join-Path $env:ProgramData 'DockerDesktop'
  $file = Join-Path $dir 'registry.json'
  New-Item -ItemType Directory -Force -Path $dir | Out-Null
  # Admin-only directory: no inherited ACEs, Administrators and SYSTEM full control, Users read.
  $acl = New-Object System.Security.AccessControl.DirectorySecurity
  $acl.SetAccessRuleProtection($true, $false)
  $admins = New-Object System.Security.Principal.SecurityIdentifier('S-1-5-32-544')
  $system = New-Object System.Security.Principal.SecurityIdentifier('S-1-5-18')
  $users = New-Object System.Security.Principal.SecurityIdentifier('S-1-5-32-545')
  $inherit = [System.Security.AccessControl.InheritanceFlags]'ContainerInherit, ObjectInherit'
  $none = [System.Security.AccessControl.PropagationFlags]::None
  $acl.SetOwner($admins)
  $acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule($admins, 'FullControl', $inherit, $none, 'Allow')))
  $acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule($system, 'FullControl', $inherit, $none, 'Allow')))
  $acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule($users, 'ReadAndExecute', $inherit, $none, 'Allow')))
  Set-Acl -Path $dir -AclObject $acl
  $json = "{`n  ""allowedOrgs"": [" + (($names | ForEach-Object { """$_""" }) -join ', ') + "]`n}`n"
  $tmp = Join-Path $dir ".registry.json.$PID.tmp"
  # UTF-8 without BOM (PowerShell 5's -Encoding utf8 would add one).
  [System.IO.File]::WriteAllText($tmp, $json, (New-Object System.Text.UTF8Encoding($false)))
  if (Test-Path $file) { [System.IO.File]::Replace($tmp, $file, "$file.bak") } else { [System.IO.File]::Move($tmp, $file) }
  Write-Output "Bosun: wrote $file (allowedOrgs: $($names -join ', '))"
}

if ($Action -eq 'Install') {
  Set-MachinePath { param($entries) if ($entries -notcontains $BinDir) { $entries + $BinDir } else { $entries } }
  if ($AllowedOrgs.Trim() -ne '') { Write-RegistryJson $AllowedOrgs }
} else {
  Set-MachinePath { param($entries) @($entries | Where-Object { $_ -ne $BinDir }) }
}
