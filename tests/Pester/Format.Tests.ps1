#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The default views as an 80-column console shows them (issue 11, item 13). Here and not in tests/PowerShell:
# the in-process host has no Out-String or Get-Item.

BeforeDiscovery {
    $script:NoFfmpeg = -not ((Get-Command ffmpeg -ErrorAction SilentlyContinue) -and (Get-Command ffprobe -ErrorAction SilentlyContinue))
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Run = Initialize-NemoTestRun -ConfigRoot $TestDrive
    $script:Emulator = $Run.Emulator
}

AfterAll {
    Complete-NemoTestRun $Run
}

Describe 'The connection table' {
    It 'keeps the session id, the user id and the token fingerprint whole at 80 columns' {
        $connection = Connect-Nemo -PassThru
        $text = $connection | Out-String -Width 80
        $text | Should -Match ([regex]::Escape($connection.SessionId))
        $text | Should -Match ([regex]::Escape($connection.UserId))
        $text | Should -Match ([regex]::Escape(($connection.TokenFingerprint -replace '^sha256:')))
        $text | Should -Not -Match '…'
        foreach ($line in $text -split "`r?`n") { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
    }
}

Describe 'Results' -Skip:$NoFfmpeg {
    It 'show what was measured at 80 columns, every header whole, and the file-system view on asking' {
        Connect-Nemo
        $clip = New-TestClip -Path (Join-Path $TestDrive 'view.mkv') -Seconds 2
        $result = ConvertTo-NemoMp3 -LiteralPath $clip.FullName -Force
        $result.PSObject.TypeNames[0] | Should -Be 'NemoVideo.Mp3File'
        $ours = $result | Out-String -Width 80
        $lines = @($ours -split "`r?`n" | Where-Object { $_.Trim() })
        $lines[0].Trim() -split '\s+' | Should -Be @('Size', 'Bitrate', 'Duration', 'Loudness', 'Engine', 'Name')
        $lines[1] | Should -Match '^[\s-]+$'
        $ours | Should -Match 'view\.mp3'
        $ours | Should -Match "$($result.Bitrate) kbps"
        foreach ($line in $lines) { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
        $view = if ($IsWindows) { 'children' } else { 'childrenWithUnixStat' }
        $result | Format-Table -View $view | Out-String -Width 80 | Should -Be (Get-Item -LiteralPath $result.FullName | Out-String -Width 80)
    }
}
