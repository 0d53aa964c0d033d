#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeDiscovery {
    $script:NoFfmpeg = -not ((Get-Command ffmpeg -ErrorAction SilentlyContinue) -and (Get-Command ffprobe -ErrorAction SilentlyContinue))
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Run = Initialize-NemoTestRun -ConfigRoot $TestDrive -EmulatorArguments @('--anonymous-credits', '100000')
    $script:Emulator = $Run.Emulator
    $script:Clip = if (Test-Ffmpeg) { New-TestClip -Path (Join-Path $TestDrive 'clip.mp4') -Seconds 3 }
}

AfterAll {
    Complete-NemoTestRun $Run
}

Describe 'The building blocks, piped into each other' -Skip:$NoFfmpeg {
    It 'upload, instruct, read the state, export, look up and stop the render' {
        $connection = Connect-Nemo -PassThru
        $asset = $connection | Send-NemoVideo -Path $Clip
        $asset.FileName | Should -Be 'clip.mp4'
        $asset.FileType | Should -Be 'video'
        $asset.SessionId | Should -Be $connection.SessionId
        $asset.Duration.TotalSeconds | Should -BeGreaterThan 2.5

        $reply = $asset | Send-NemoMessage 'Extract the audio as MP3 at 128 kbps' -InformationVariable said
        $reply.Summary | Should -Match '128 kbps'
        ($said.MessageData -join '') | Should -Match 'Export'

        $state = $reply | Get-NemoState
        $state.CanExport | Should -BeTrue
        $state.Summary | Should -Match '^Timeline \(1 track\): Audio: clip'

        $file = Invoke-NemoExport -Format mp3 -OutFile (Join-Path $TestDrive 'export.mp3')
        $file.Name | Should -Be 'export.mp3'
        (Get-StreamInfo $file.FullName).BitRate | Should -Be 128000

        $render = $file | Get-NemoRender
        $render.Status | Should -Be 'Completed'
        $render | Stop-NemoRender -PassThru | Select-Object -ExpandProperty Status | Should -Be 'Completed'
    }

    It 'uploads by address and refuses schemes other than http' {
        Connect-Nemo
        $first = Send-NemoVideo -LiteralPath $Clip
        $byUrl = Send-NemoVideo -Uri $first.CdnUrl
        $byUrl.FileType | Should -Be 'video'
        { Send-NemoVideo -Uri 'file:///etc/passwd' -ErrorAction Stop } | Should -Throw -ErrorId 'Nemo.InvalidRequest*'
    }

    It 'does not export an empty timeline, and -WhatIf exports nothing' {
        Connect-Nemo
        { Invoke-NemoExport -OutFile (Join-Path $TestDrive 'empty.mp4') -ErrorAction Stop } | Should -Throw '*timeline is empty*'
        Invoke-NemoExport -OutFile (Join-Path $TestDrive 'whatif.mp4') -WhatIf
        Test-Path (Join-Path $TestDrive 'whatif.mp4') | Should -BeFalse
    }

    It 'reports a missing session as such' {
        { Get-NemoState -SessionId '1234567890123456789' -ErrorAction Stop } | Should -Throw -ErrorId 'Nemo.SessionNotFound*'
    }
}
