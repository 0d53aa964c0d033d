#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Run = Initialize-NemoTestRun -ConfigRoot $TestDrive
    $script:Emulator = $Run.Emulator
}

AfterAll {
    Complete-NemoTestRun $Run
}

Describe 'The module' {
    It 'exports exactly its cmdlets' {
        $names = (Get-Command -Module NemoVideo).Name | Sort-Object
        $names | Should -Be @('Compress-NemoVideo', 'Connect-Nemo', 'ConvertTo-NemoMp3', 'Disconnect-Nemo', 'Get-NemoCredit',
            'Get-NemoMediaInfo', 'Get-NemoPendingWork', 'Get-NemoRender', 'Get-NemoSession', 'Get-NemoState', 'Invoke-NemoExport', 'Send-NemoMessage', 'Send-NemoVideo', 'Stop-NemoRender')
    }

    It 'has help with an example for every cmdlet' {
        foreach ($name in (Get-Command -Module NemoVideo).Name) {
            $help = Get-Help $name -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty -Because "$name needs a synopsis"
            $help.Synopsis | Should -Not -Match ('^\s*' + [regex]::Escape($name)) -Because "$name's synopsis must come from the help file, not the syntax"
            @($help.Examples.Example).Count | Should -BeGreaterThan 0 -Because "$name needs an example"
        }
    }
}

Describe 'Connect-Nemo' {
    It 'connects with a free anonymous token and starts a session the other cmdlets share' {
        $connection = Connect-Nemo -PassThru
        $connection.SessionId | Should -Match '^\d{19}$'
        $connection.TokenSource | Should -Be 'Anonymous'
        $connection.UserId | Should -BeLike 'anon_*'
        (Get-NemoSession).SessionId | Should -Be $connection.SessionId
    }

    It 'reuses the cached token in a new connection instead of asking for another' {
        Connect-Nemo # whatever ran before: now a token is cached
        $issued = (Invoke-EmulatorAdmin $Emulator 'stats' -Method Get).anonymous_tokens_issued
        Connect-Nemo
        (Get-NemoSession).TokenSource | Should -Be 'Cache'
        (Invoke-EmulatorAdmin $Emulator 'stats' -Method Get).anonymous_tokens_issued | Should -Be $issued
    }

    It 'shows data, not machinery: ConvertTo-Json of the connection is small and quick' {
        $connection = Connect-Nemo -PassThru
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $json = $connection | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        $json.Length | Should -BeLessThan 20000
        $json | Should -Not -Match '"Client"'
    }

    It 'never shows the token in its output' {
        Connect-Nemo
        $text = Get-NemoSession | Format-List * | Out-String
        $text | Should -Not -Match 'nmv_usr_'
        $text | Should -Match 'sha256:'
    }

    It 'takes a SecureString token' {
        $token = (Invoke-RestMethod -Method Post -Uri "$($Emulator.BaseUri)api/auth/anonymous-token" -Headers @{ 'X-Client-Id' = [guid]::NewGuid().ToString() }).data.token
        $connection = Connect-Nemo -Token (ConvertTo-SecureString $token -AsPlainText -Force) -PassThru
        $connection.TokenSource | Should -Be 'Parameter'
    }

    It 'fails on a rejected token with an authentication error that says what to do' {
        { Connect-Nemo -Token 'nmv_usr_not_a_real_token' -ErrorAction Stop } |
            Should -Throw -ErrorId 'Nemo.TokenInvalid,NemoVideo.PowerShell.Cmdlets.ConnectNemoCommand'
        try { Connect-Nemo -Token 'nmv_usr_not_a_real_token' -ErrorAction Stop } catch { $err = $_ }
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        $err.Exception.Message | Should -Not -Match 'nmv_usr_not_a_real_token'
    }

    It 'refuses plain http to a remote host unless -AllowInsecureHttp' {
        { Connect-Nemo -BaseUri 'http://api.example.invalid/' -ErrorAction Stop } | Should -Throw -ErrorId 'Nemo.InsecureHttp*'
        try { Connect-Nemo -BaseUri 'http://api.example.invalid/' -ErrorAction Stop } catch { $_.ErrorDetails.RecommendedAction | Should -Match 'AllowInsecureHttp' }
    }

    It 'shows each HTTP call with -Verbose and no token' {
        $verbose = Connect-Nemo -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        ($verbose -join "`n") | Should -Match 'HTTP POST /api/tasks/me/with-session/nemo_agent -> 200'
        ($verbose -join "`n") | Should -Not -Match 'nmv_usr_'
    }
}

Describe 'Get-NemoCredit' {
    BeforeAll { Connect-Nemo }

    It 'returns the balance of the account' {
        $credits = Get-NemoCredit
        $credits.Available | Should -Be 100
        $credits.Total | Should -Be 100
        $credits.Frozen | Should -Be 0
    }

    It 'renews an expired token once by itself' {
        Invoke-EmulatorAdmin $Emulator 'tokens/expire' | Out-Null
        (Get-NemoCredit).Available | Should -Be 100
    }
}

Describe 'Disconnect-Nemo' {
    It 'forgets the connection, and with -ClearCache -Force the cached token; -WhatIf changes nothing' {
        Connect-Nemo
        Disconnect-Nemo -ClearCache -WhatIf
        Get-NemoSession | Should -Not -BeNullOrEmpty
        Disconnect-Nemo -ClearCache -Force
        Get-NemoSession | Should -BeNullOrEmpty
        Test-Path (Join-Path $env:NEMO_CONFIG_DIR 'powershell-tokens.json') | Should -BeTrue
        (Get-Content (Join-Path $env:NEMO_CONFIG_DIR 'powershell-tokens.json') -Raw) | Should -Not -Match 'nmv_usr_'
    }

    It 'clears the cached token of NEMO_API_URL when not connected, too' {
        Connect-Nemo
        Disconnect-Nemo
        (Get-Content (Join-Path $env:NEMO_CONFIG_DIR 'powershell-tokens.json') -Raw) | Should -Match 'nmv_usr_'
        Disconnect-Nemo -ClearCache -Force
        (Get-Content (Join-Path $env:NEMO_CONFIG_DIR 'powershell-tokens.json') -Raw) | Should -Not -Match 'nmv_usr_'
    }
}
